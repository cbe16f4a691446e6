package io.oqto.api.runner.history;

import org.jspecify.annotations.Nullable;

/**
 * A conversation as history keeps it.
 *
 * @param id its agent session's id (resume it with {@code POST …/sessions {"resume": id}})
 * @param workspace the directory its session ran in, relative to the workspace
 * @param model {@code provider/model} of its latest answer
 * @param createdAt ISO-8601, whole seconds (hstry keeps seconds)
 * @param messages how many messages it holds
 * @param tokens input plus output tokens of its answers
 * @param running whether its session is in the runner now
 */
public record HistoryConversation(
        String id,
        @Nullable String title,
        @Nullable String workspace,
        @Nullable String model,
        String createdAt,
        String updatedAt,
        long messages,
        long tokens,
        double costUsd,
        boolean running) {}
