package io.oqto.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.runner.spi.history.HistoryMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pi's messages to history's model, part type by part type (services-spec §1.5). */
class PiHistoryTest {

    private static Object field(HistoryMessage m, int part, String key) {
        return m.parts().get(part).get(key);
    }

    @Test
    void aUserMessageAsAStringOrAsTextAndImageBlocks() {
        HistoryMessage plain = PiHistory.of("c", 0, Map.of("role", "user", "content", "hello", "timestamp", 1000L));
        assertEquals(List.of("user", "hello", 1000L), List.of(plain.role(), plain.content(), plain.createdAtMs()));
        assertEquals("text", field(plain, 0, "type"));
        assertEquals("hello", field(plain, 0, "text"));

        HistoryMessage blocks = PiHistory.of(
                "c",
                1,
                Map.of(
                        "role",
                        "user",
                        "content",
                        List.of(
                                Map.of("type", "text", "text", "look"),
                                Map.of("type", "image", "data", "aGk=", "mimeType", "image/png"),
                                Map.of("type", "text", "text", "at this"))));
        assertEquals("look\n\nat this", blocks.content());
        assertEquals(
                List.of("text", "image", "text"),
                blocks.parts().stream().map(p -> p.get("type")).toList());
        assertEquals(
                List.of("base64", "aGk=", "image/png"),
                List.of(field(blocks, 1, "source"), field(blocks, 1, "data"), field(blocks, 1, "mimeType")));
    }

    @Test
    void anAssistantMessageWithThinkingAToolCallUsageAndCost() {
        HistoryMessage m = PiHistory.of(
                "c",
                2,
                Map.of(
                        "role",
                        "assistant",
                        "provider",
                        "eavs-fake",
                        "model",
                        "fake-model",
                        "content",
                        List.of(
                                Map.of("type", "thinking", "thinking", "hmm"),
                                Map.of("type", "text", "text", "I will list"),
                                Map.of(
                                        "type",
                                        "toolCall",
                                        "id",
                                        "call_1",
                                        "name",
                                        "bash",
                                        "arguments",
                                        Map.of("command", "ls"))),
                        "usage",
                        Map.of("input", 12, "output", 5, "cost", Map.of("total", 0.022)),
                        "timestamp",
                        5000L));
        assertEquals("assistant", m.role());
        assertEquals("I will list", m.content(), "only text parts make the content");
        assertEquals(
                List.of("thinking", "text", "tool_call"),
                m.parts().stream().map(p -> p.get("type")).toList());
        assertEquals("hmm", field(m, 0, "text"));
        assertEquals(
                List.of("call_1", "bash", Map.of("command", "ls")),
                List.of(field(m, 2, "toolCallId"), field(m, 2, "name"), field(m, 2, "input")));
        assertEquals("eavs-fake/fake-model", m.model());
        assertEquals(17L, m.tokens());
        assertEquals(0.022, m.costUsd());
    }

    @Test
    void aToolResultIsOneToolResultPart() {
        HistoryMessage m = PiHistory.of(
                "c",
                3,
                Map.of(
                        "role",
                        "toolResult",
                        "toolCallId",
                        "call_1",
                        "toolName",
                        "bash",
                        "content",
                        List.of(Map.of("type", "text", "text", "a.txt\nb.txt")),
                        "isError",
                        false));
        assertEquals(List.of("tool", "a.txt\nb.txt"), List.of(m.role(), m.content()));
        assertEquals(1, m.parts().size());
        assertEquals(
                List.of("tool_result", "call_1", "bash", "a.txt\nb.txt", false),
                List.of(
                        field(m, 0, "type"),
                        field(m, 0, "toolCallId"),
                        field(m, 0, "name"),
                        field(m, 0, "output"),
                        field(m, 0, "isError")));
        assertNull(m.model());
    }

    @Test
    void bashRunsAndSummariesAndAnythingElse() {
        HistoryMessage bash =
                PiHistory.of("c", 4, Map.of("role", "bashExecution", "command", "false", "output", "", "exitCode", 1));
        assertEquals(
                List.of("tool", "tool_result", true),
                List.of(bash.role(), field(bash, 0, "type"), field(bash, 0, "isError")));
        HistoryMessage summary = PiHistory.of("c", 5, Map.of("role", "compactionSummary", "summary", "so far"));
        assertEquals(List.of("system", "so far"), List.of(summary.role(), summary.content()));
        HistoryMessage custom = PiHistory.of("c", 6, Map.of("role", "custom", "content", "note"));
        assertEquals(List.of("other", "note"), List.of(custom.role(), custom.content()));
    }

    @Test
    void inlineDataOver8KiBIsLeftOutWithItsSize() {
        String big = "A".repeat(8 * 1024 + 1);
        HistoryMessage m = PiHistory.of(
                "c",
                0,
                Map.of(
                        "role",
                        "user",
                        "content",
                        List.of(Map.of("type", "image", "data", big, "mimeType", "image/png"))));
        assertEquals("<omitted inline data: 8193 bytes>", field(m, 0, "data"));
        assertEquals("A".repeat(8 * 1024), PiHistory.inline("A".repeat(8 * 1024)), "8 KiB itself stays");
    }

    @Test
    void partIdsAreStableForTheSameMessageAndDifferElsewhere() {
        Map<String, Object> msg = Map.of("role", "user", "content", "x");
        Object id = field(PiHistory.of("c", 0, msg), 0, "id");
        assertEquals(id, field(PiHistory.of("c", 0, msg), 0, "id"), "written again: the same part");
        assertNotEquals(id, field(PiHistory.of("c", 1, msg), 0, "id"));
        assertNotEquals(id, field(PiHistory.of("d", 0, msg), 0, "id"));
        assertTrue(String.valueOf(id).matches("part_[0-9a-f]{32}"), String.valueOf(id));
    }
}
