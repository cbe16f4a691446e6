package io.oqto.agent.internal;

import io.oqto.runner.spi.history.HistoryMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * pi's messages as history keeps them (services-spec §1.5, the original's conversion): roles user, assistant and
 * tool; text, thinking, tool calls and tool results as hstry's parts; {@code content} the text parts joined by
 * blank lines; the model as {@code provider/model}; tokens input + output; cost {@code usage.cost.total}. Inline
 * data over 8 KiB is replaced by a note of its size. Part ids are derived from the conversation, the idx and the
 * part's place, so writing the same message again is the same message (hstry treats it as no change).
 */
final class PiHistory {

    static final int MAX_INLINE_DATA = 8 * 1024;

    private PiHistory() {}

    /** The history message for pi's message {@code m} at {@code idx} of {@code conversation}. */
    static HistoryMessage of(String conversation, int idx, Map<?, ?> m) {
        String role = String.valueOf(m.get("role"));
        long created = m.get("timestamp") instanceof Number n ? n.longValue() : System.currentTimeMillis();
        Parts parts = new Parts(conversation, idx);
        return switch (role) {
            case "user" -> {
                content(parts, m.get("content"));
                yield new HistoryMessage(idx, "user", parts.text(), parts.list, created, null, null, null, null);
            }
            case "assistant" -> {
                content(parts, m.get("content"));
                Map<?, ?> usage = m.get("usage") instanceof Map<?, ?> u ? u : Map.of();
                Long tokens = usage.isEmpty() ? null : Json.whole(usage.get("input")) + Json.whole(usage.get("output"));
                Double cost = usage.get("cost") instanceof Map<?, ?> c && c.get("total") instanceof Number t
                        ? t.doubleValue()
                        : null;
                String provider = text(m.get("provider"));
                String model = text(m.get("model"));
                yield new HistoryMessage(
                        idx,
                        "assistant",
                        parts.text(),
                        parts.list,
                        created,
                        model == null ? null : provider == null ? model : provider + "/" + model,
                        provider,
                        tokens,
                        cost);
            }
            case "toolResult" -> {
                // A tool result is one tool_result part, its text the output.
                Parts output = new Parts(conversation, idx);
                content(output, m.get("content"));
                Map<String, Object> result = parts.part("tool_result");
                result.put("toolCallId", m.get("toolCallId"));
                putIfSet(result, "name", m.get("toolName"));
                result.put("output", output.text());
                result.put("isError", Boolean.TRUE.equals(m.get("isError")));
                yield new HistoryMessage(idx, "tool", output.text(), parts.list, created, null, null, null, null);
            }
            case "bashExecution" -> {
                Map<String, Object> result = parts.part("tool_result");
                result.put("toolCallId", "bash-" + idx);
                result.put("name", "bash");
                String text = "$ " + m.get("command") + "\n" + m.get("output");
                result.put("output", text);
                result.put("isError", !(m.get("exitCode") instanceof Number n && n.intValue() == 0));
                yield new HistoryMessage(idx, "tool", text, parts.list, created, null, null, null, null);
            }
            case "compactionSummary", "branchSummary" -> {
                parts.text(String.valueOf(m.get("summary")));
                yield new HistoryMessage(idx, "system", parts.text(), parts.list, created, null, null, null, null);
            }
            default -> {
                content(parts, m.get("content"));
                yield new HistoryMessage(idx, "other", parts.text(), parts.list, created, null, null, null, null);
            }
        };
    }

    /** pi's content: a string, or blocks of text, thinking, toolCall and image. */
    private static void content(Parts parts, @Nullable Object content) {
        if (content instanceof String s) {
            parts.text(s);
            return;
        }
        if (!(content instanceof List<?> blocks)) {
            return;
        }
        for (Object o : blocks) {
            if (!(o instanceof Map<?, ?> b)) {
                continue;
            }
            switch (String.valueOf(b.get("type"))) {
                case "text" -> parts.text(String.valueOf(b.get("text")));
                case "thinking" -> parts.part("thinking").put("text", String.valueOf(b.get("thinking")));
                case "toolCall" -> {
                    Map<String, Object> call = parts.part("tool_call");
                    call.put("toolCallId", b.get("id"));
                    call.put("name", b.get("name"));
                    putIfSet(call, "input", b.get("arguments"));
                }
                case "image" -> {
                    Map<String, Object> image = parts.part("image");
                    image.put("source", "base64");
                    image.put("data", inline(String.valueOf(b.get("data"))));
                    putIfSet(image, "mimeType", b.get("mimeType"));
                }
                default -> parts.text(String.valueOf(b.get("text") == null ? "" : b.get("text")));
            }
        }
    }

    /** Inline data over 8 KiB is left out, saying how much there was. */
    static String inline(String data) {
        int bytes = data.getBytes(StandardCharsets.UTF_8).length;
        return bytes > MAX_INLINE_DATA ? "<omitted inline data: " + bytes + " bytes>" : data;
    }

    /** The parts of one message, with ids stable for the same conversation, idx and place. */
    private static final class Parts {
        final List<Map<String, Object>> list = new ArrayList<>();
        private final List<String> texts = new ArrayList<>();
        private final String conversation;
        private final int idx;

        Parts(String conversation, int idx) {
            this.conversation = conversation;
            this.idx = idx;
        }

        Map<String, Object> part(String type) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("type", type);
            String seed = conversation + "/" + idx + "/" + list.size();
            p.put(
                    "id",
                    "part_"
                            + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8))
                                    .toString()
                                    .replace("-", ""));
            list.add(p);
            return p;
        }

        void text(String text) {
            part("text").put("text", text);
            texts.add(text);
        }

        String text() {
            return String.join("\n\n", texts);
        }
    }

    private static void putIfSet(Map<String, Object> m, String key, @Nullable Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static @Nullable String text(@Nullable Object v) {
        return v instanceof String s && !s.isEmpty() ? s : null;
    }
}
