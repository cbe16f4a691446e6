package io.oqto.runner.spi.history;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation as history keeps it: hstry's {@code Message} (services-spec §1.3) with its parts
 * as hstry's Part objects (§1.5: {@code text}, {@code thinking}, {@code tool_call}, {@code tool_result},
 * {@code image}, … each with an {@code id}).
 *
 * @param idx its place in the conversation, owned by the writer (0, 1, 2, …)
 * @param role {@code user}, {@code assistant}, {@code tool}, {@code system} or {@code other}
 * @param content the text of its text parts, joined by blank lines
 * @param parts hstry's parts, as JSON objects
 * @param createdAtMs when it was made
 * @param model {@code provider/model} of an assistant message
 * @param tokens input plus output tokens of an assistant message
 * @param costUsd its cost as the agent reported it
 */
public record HistoryMessage(
        int idx,
        String role,
        String content,
        List<Map<String, Object>> parts,
        long createdAtMs,
        @Nullable String model,
        @Nullable String provider,
        @Nullable Long tokens,
        @Nullable Double costUsd) {}
