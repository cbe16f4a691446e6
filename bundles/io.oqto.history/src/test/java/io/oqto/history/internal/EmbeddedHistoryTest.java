package io.oqto.history.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store: hstry's rules, reopening, search with hostile input, paging, delete. */
class EmbeddedHistoryTest {

    @TempDir
    Path state;

    private static HistoryMessage message(int idx, String role, String text) {
        return new HistoryMessage(
                idx,
                role,
                text,
                List.of(Map.of("type", "text", "id", "p" + idx, "text", text)),
                1_700_000_000_999L,
                role.equals("assistant") ? "fake/fake-model" : null,
                null,
                role.equals("assistant") ? 17L : null,
                role.equals("assistant") ? 0.02 : null);
    }

    private static Conversation conversation(String id, long updated) {
        return new Conversation(
                id, null, "/home/alice/oqto", "fake/fake-model", 1_700_000_000_000L, updated, 0, 17, 0.02, "pi-" + id);
    }

    @Test
    void messagesByIdxSurviveAReopenAndTheSameMessageAgainIsNoChange() throws Exception {
        Path db = state.resolve("history/history.db");
        try (EmbeddedHistory h = new EmbeddedHistory(db)) {
            h.write(
                    conversation("s1", 1_700_000_001_000L),
                    List.of(message(0, "user", "hello zebras"), message(1, "assistant", "hi")));
            h.write(
                    conversation("s1", 1_700_000_002_000L),
                    List.of(message(1, "assistant", "hi"), message(2, "user", "thanks")));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
        try (EmbeddedHistory h = new EmbeddedHistory(db)) {
            List<HistoryMessage> all = h.messages("s1", 0, false);
            assertEquals(List.of(0, 1, 2), all.stream().map(HistoryMessage::idx).toList());
            assertEquals(message(1, "assistant", "hi").parts(), all.get(1).parts());
            assertEquals(1_700_000_000_000L, all.get(0).createdAtMs(), "whole seconds");
            assertEquals(17L, all.get(1).tokens());
            assertEquals(null, all.get(0).tokens());
            assertEquals(
                    List.of(2),
                    h.messages("s1", 1, true).stream().map(HistoryMessage::idx).toList());
            assertEquals(
                    List.of(0),
                    h.messages("s1", 1, false).stream().map(HistoryMessage::idx).toList());
            Conversation c = h.find("s1").orElseThrow();
            assertEquals(List.of(3L, "/home/alice/oqto"), List.of(c.messageCount(), c.workspace()));
            assertEquals(1, h.search("zebras", null, null, 10).size(), "indexed once, not twice");
        }
    }

    @Test
    void searchFindsWordsAndStemsAndTakesAnyInputSafely() throws Exception {
        try (EmbeddedHistory h = new EmbeddedHistory(state.resolve("h.db"))) {
            h.write(
                    conversation("s1", 1),
                    List.of(
                            message(0, "user", "How do I parse the config file?"),
                            message(1, "assistant", "Use the parser; it parses TOML.")));
            var hits = h.search("parsing", null, null, 10);
            assertEquals(
                    List.of(0, 1), hits.stream().map(x -> x.idx()).sorted().toList(), "stems: parse, parser?, parses");
            assertTrue(hits.stream().anyMatch(x -> x.snippet().contains("[")), hits.toString());
            assertEquals(1, h.search("parse", null, "assistant", 10).size(), "by role");
            assertEquals(0, h.search("parse", "/elsewhere", null, 10).size(), "by workspace");
            for (String hostile : List.of("\"", "AND OR NOT", "*", "config\" OR 1=1 --", "NEAR(", "")) {
                h.search(hostile, null, null, 10); // no syntax error, whatever came
            }
            assertEquals("\"config\" AND \"or\" AND \"1\" AND \"1\"", EmbeddedHistory.ftsQuery("config\" OR 1=1 --"));
        }
    }

    @Test
    void listsNewestFirstWithPagingAndDeleteRemovesEverything() throws Exception {
        try (EmbeddedHistory h = new EmbeddedHistory(state.resolve("h.db"))) {
            for (int i = 0; i < 3; i++) {
                h.write(
                        conversation("s" + i, 1_700_000_000_000L + i * 10_000L),
                        List.of(message(0, "user", "word" + i)));
            }
            assertEquals(
                    List.of("s2", "s1", "s0"),
                    h.list(0, 0).stream().map(Conversation::id).toList());
            assertEquals(
                    List.of("s1"), h.list(1, 1).stream().map(Conversation::id).toList());
            h.rename("s1", "named");
            assertEquals("named", h.find("s1").orElseThrow().title());
            assertTrue(h.delete("s1"));
            assertFalse(h.delete("s1"));
            assertTrue(h.find("s1").isEmpty());
            assertEquals(List.of(), h.messages("s1", 0, false));
            assertEquals(0, h.search("word1", null, null, 10).size(), "its words are gone from the index");
        }
    }
}
