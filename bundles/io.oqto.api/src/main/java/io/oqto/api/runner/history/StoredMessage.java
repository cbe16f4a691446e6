package io.oqto.api.runner.history;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A message of a conversation: hstry's model (services-spec §1.3, §1.5).
 *
 * @param idx its place in the conversation (0, 1, 2, …)
 * @param role {@code user}, {@code assistant}, {@code tool}, {@code system} or {@code other}
 * @param content the text of its text parts
 * @param parts hstry's parts ({@code text}, {@code thinking}, {@code tool_call}, {@code tool_result}, …) as JSON
 * @param model {@code provider/model} of an answer
 * @param tokens input plus output tokens of an answer
 */
public record StoredMessage(
        int idx,
        String role,
        String content,
        List<Map<String, Object>> parts,
        String createdAt,
        @Nullable String model,
        @Nullable Long tokens,
        @Nullable Double costUsd) {}
