package io.oqto.agent.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * pi's RPC events in Oqto's agent event model (docs/agent-events.md). Both pi generations are accepted
 * ({@code auto_compaction_*} and {@code compaction_*}; {@code message_update} with or without
 * {@code message}); a type this does not know is passed on as {@code pi.event}, never dropped.
 */
final class PiEvents {

    /** An event of the model: its type and fields. */
    record Translated(String type, Map<String, Object> data) {}

    private PiEvents() {}

    /** The translation of one pi event, or null for one that carries nothing new ({@code done}). */
    static @Nullable Translated translate(Map<String, Object> e) {
        String t = String.valueOf(e.get("type"));
        return switch (t) {
            case "agent_start" -> of("agent.working");
            case "agent_end" -> of("agent.idle", "messages", e.get("messages"));
            case "turn_start" -> of("turn.start");
            case "turn_end" -> of("turn.end", "message", e.get("message"), "tool_results", e.get("toolResults"));
            case "message_start" -> of("message.start", "role", role(e), "message", e.get("message"));
            case "message_end" -> of("message.end", "role", role(e), "message", e.get("message"));
            case "message_update" -> update(e);
            case "tool_execution_start" ->
                of("tool.start", "tool_call_id", e.get("toolCallId"), "tool", e.get("toolName"), "args", e.get("args"));
            case "tool_execution_update" ->
                of(
                        "tool.update",
                        "tool_call_id",
                        e.get("toolCallId"),
                        "tool",
                        e.get("toolName"),
                        "partial",
                        e.get("partialResult"));
            case "tool_execution_end" ->
                of(
                        "tool.end",
                        "tool_call_id",
                        e.get("toolCallId"),
                        "tool",
                        e.get("toolName"),
                        "result",
                        e.get("result"),
                        "is_error",
                        e.get("isError"));
            case "auto_compaction_start", "compaction_start" -> of("compaction.start", "reason", e.get("reason"));
            case "auto_compaction_end", "compaction_end" ->
                of(
                        "compaction.end",
                        "result",
                        e.get("result"),
                        "aborted",
                        e.get("aborted"),
                        "error",
                        e.get("errorMessage"));
            case "auto_retry_start" ->
                of(
                        "retry.start",
                        "attempt",
                        e.get("attempt"),
                        "max_attempts",
                        e.get("maxAttempts"),
                        "delay_ms",
                        e.get("delayMs"),
                        "error",
                        e.get("errorMessage"));
            case "auto_retry_end" ->
                of("retry.end", "success", e.get("success"), "attempt", e.get("attempt"), "error", e.get("finalError"));
            case "queue_update" -> of("queue.update", "steering", e.get("steering"), "follow_up", e.get("followUp"));
            case "extension_ui_request" -> {
                Map<String, Object> d = new LinkedHashMap<>(e);
                d.remove("type");
                yield new Translated("extension.ui_request", d);
            }
            case "extension_error", "hook_error" ->
                of(
                        "extension.error",
                        "extension",
                        e.getOrDefault("extensionPath", e.get("hookPath")),
                        "event",
                        e.get("event"),
                        "error",
                        e.get("error"));
            default -> {
                Map<String, Object> d = new LinkedHashMap<>(e);
                d.remove("type");
                yield of("pi.event", "pi_type", t, "data", d);
            }
        };
    }

    /** {@code message_update}: deltas become {@code message.delta}, block starts and ends {@code message.block}. */
    @SuppressWarnings("unchecked")
    private static @Nullable Translated update(Map<String, Object> e) {
        Map<String, Object> ame =
                e.get("assistantMessageEvent") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String t = String.valueOf(ame.get("type"));
        int underscore = t.indexOf('_');
        String kind = underscore < 0 ? t : t.substring(0, underscore);
        String phase = underscore < 0 ? "" : t.substring(underscore + 1);
        return switch (phase) {
            case "delta" ->
                of("message.delta", "kind", kind, "content_index", ame.get("contentIndex"), "delta", ame.get("delta"));
            case "start" ->
                of("message.block", "kind", kind, "phase", "start", "content_index", ame.get("contentIndex"));
            case "end" ->
                of(
                        "message.block",
                        "kind",
                        kind,
                        "phase",
                        "end",
                        "content_index",
                        ame.get("contentIndex"),
                        "content",
                        ame.containsKey("toolCall") ? ame.get("toolCall") : ame.get("content"));
            default ->
                switch (t) {
                    case "start", "done" -> null;
                    case "error" -> of("message.error", "reason", ame.get("reason"), "error", ame.get("error"));
                    default -> of("pi.event", "pi_type", "message_update", "data", ame);
                };
        };
    }

    private static @Nullable Object role(Map<String, Object> e) {
        return e.get("message") instanceof Map<?, ?> m ? m.get("role") : null;
    }

    static Translated of(String type, @Nullable Object... kv) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                d.put((String) kv[i], kv[i + 1]);
            }
        }
        return new Translated(type, d);
    }
}
