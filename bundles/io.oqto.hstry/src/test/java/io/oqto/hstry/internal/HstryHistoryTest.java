package io.oqto.hstry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryException;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.testing.hstry.FakeHstry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector against the hstry double, found as hstry's own client finds it, over TCP and a Unix socket. */
class HstryHistoryTest {

    @TempDir
    Path home;

    private static HistoryMessage message(int idx, String role, String text) {
        return new HistoryMessage(
                idx,
                role,
                text,
                List.of(Map.of("type", "text", "id", "part_" + idx, "text", text)),
                1_700_000_000_000L,
                null,
                null,
                null,
                null);
    }

    private static Conversation conversation(String id) {
        return new Conversation(
                id,
                "first",
                "/home/alice/oqto",
                "fake/fake-model",
                1_700_000_000_000L,
                1_700_000_005_000L,
                0,
                0,
                0,
                "pi-" + id);
    }

    @Test
    void discoveryPrefersTheSocketThenTheEnvironmentThenTheFiles() throws Exception {
        Path state = home.resolve(".local/state/hstry");
        assertEquals(List.of(), HstryDiscovery.candidates(Map.of(), home), "nothing: hstry is not running");
        Files.createDirectories(home.resolve(".config/hstry"));
        Files.writeString(home.resolve(".config/hstry/service.port"), "4001\n");
        assertEquals(List.of(new HstryDiscovery.Tcp(4001)), HstryDiscovery.candidates(Map.of(), home));
        Files.createDirectories(state);
        Files.writeString(state.resolve("service.port"), "4002");
        assertEquals(List.of(new HstryDiscovery.Tcp(4002)), HstryDiscovery.candidates(Map.of(), home));
        assertEquals(
                List.of(new HstryDiscovery.Tcp(4003)),
                HstryDiscovery.candidates(Map.of("HSTRY_SERVICE_PORT", "4003"), home));
        Files.createFile(state.resolve("service.sock"));
        assertEquals(
                List.of(new HstryDiscovery.UnixSocket(state.resolve("service.sock")), new HstryDiscovery.Tcp(4002)),
                HstryDiscovery.candidates(Map.of(), home));
        assertEquals(List.of(), HstryDiscovery.candidates(Map.of("HSTRY_NO_SERVICE", "1"), home));
        Path xdg = Files.createDirectories(home.resolve("xdg/hstry"));
        Files.writeString(xdg.resolve("service.port"), "4004");
        assertEquals(
                List.of(new HstryDiscovery.Tcp(4004)),
                HstryDiscovery.candidates(
                        Map.of("XDG_STATE_HOME", home.resolve("xdg").toString()), home));
    }

    @Test
    void writesReadsSearchesRenamesAndDeletesOverTcp() throws Exception {
        try (FakeHstry hstry = new FakeHstry().startTcp(home.resolve(".local/state"));
                HstryHistory h = HstryHistory.connect(HstryDiscovery.candidates(Map.of(), home), 5000)) {
            h.write(conversation("s1"), List.of(message(0, "user", "find the zebra"), message(1, "assistant", "ok")));
            h.write(conversation("s1"), List.of(message(1, "assistant", "ok"), message(2, "user", "thanks")));
            assertEquals(3, hstry.messageCount(), "idx 1 written twice is one message");
            Conversation c = h.find("s1").orElseThrow();
            assertEquals(List.of("first", "/home/alice/oqto", 3L), List.of(c.title(), c.workspace(), c.messageCount()));
            assertEquals(
                    List.of(0, 1, 2),
                    h.messages("s1", 0, false).stream().map(HistoryMessage::idx).toList());
            assertEquals(
                    List.of(2),
                    h.messages("s1", 1, true).stream().map(HistoryMessage::idx).toList());
            assertEquals(
                    List.of(0),
                    h.messages("s1", 1, false).stream().map(HistoryMessage::idx).toList());
            assertEquals(
                    List.of(Map.of("type", "text", "id", "part_0", "text", "find the zebra")),
                    h.messages("s1", 0, false).get(0).parts());
            assertEquals(
                    List.of(0),
                    h.search("zebra", null, null, 10).stream().map(x -> x.idx()).toList());
            h.rename("s1", "zebras");
            assertEquals("zebras", h.find("s1").orElseThrow().title());
            Conversation later = conversation("s2");
            h.write(
                    new Conversation(
                            "s2", null, null, null, later.createdAtMs(), later.updatedAtMs() + 60_000, 0, 0, 0, null),
                    List.of(message(0, "user", "second")));
            assertEquals(
                    List.of("s2", "s1"),
                    h.list(10, 0).stream().map(Conversation::id).toList());
            assertEquals(
                    List.of("s1"), h.list(1, 1).stream().map(Conversation::id).toList(), "the offset, done here");
            assertTrue(h.delete("s1"));
            assertFalse(h.delete("s1"));
            assertTrue(h.find("s1").isEmpty());
        }
    }

    @Test
    void overTheUnixSocketAndFailuresThatCanBeRetriedOrNot() throws Exception {
        Path state = home.resolve(".local/state");
        FakeHstry hstry = new FakeHstry().startUnix(state);
        try (HstryHistory h = HstryHistory.connect(HstryDiscovery.candidates(Map.of(), home), 2000)) {
            assertTrue(h.where().endsWith("service.sock"), h.where());
            h.write(conversation("u1"), List.of(message(0, "user", "hi")));
            hstry.failNextWrite(Status.INTERNAL.withDescription("Failed to write: disk full"));
            HistoryException internal = assertThrows(
                    HistoryException.class, () -> h.write(conversation("u1"), List.of(message(1, "user", "again"))));
            assertTrue(internal.retryable(), "hstry's own failure may pass");
            assertTrue(internal.getMessage().contains("INTERNAL Failed to write: disk full"), internal.getMessage());
            hstry.failNextWrite(Status.INVALID_ARGUMENT.withDescription("parts_json is not JSON"));
            HistoryException refused = assertThrows(
                    HistoryException.class, () -> h.write(conversation("u1"), List.of(message(1, "user", "again"))));
            assertFalse(refused.retryable(), "a refusal stays one");
            hstry.stop();
            HistoryException down = assertThrows(
                    HistoryException.class, () -> h.write(conversation("u1"), List.of(message(1, "user", "again"))));
            assertTrue(down.retryable(), down.getMessage());
        } finally {
            hstry.close();
        }
        HistoryException none = assertThrows(
                HistoryException.class, () -> HstryHistory.connect(HstryDiscovery.candidates(Map.of(), home), 1000));
        assertEquals("hstry is not running: no service.sock or service.port found", none.getMessage());
        assertTrue(none.retryable());
    }
}
