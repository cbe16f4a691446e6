package io.oqto.runner.spi.history;

import org.jspecify.annotations.Nullable;

/**
 * A conversation as history lists it.
 *
 * @param id the agent session's id, by which it is found again
 * @param title a title, if one was given
 * @param workspace the directory the session ran in
 * @param model {@code provider/model} of its latest answer
 * @param createdAtMs when it began
 * @param updatedAtMs when it was last written
 * @param messageCount how many messages it holds
 * @param tokens input plus output tokens of all its answers
 * @param costUsd their cost
 * @param agentSession the agent's own session id (pi's), by which its context is found to resume it (since 1.1)
 */
public record Conversation(
        String id,
        @Nullable String title,
        @Nullable String workspace,
        @Nullable String model,
        long createdAtMs,
        long updatedAtMs,
        long messageCount,
        long tokens,
        double costUsd,
        @Nullable String agentSession) {}
