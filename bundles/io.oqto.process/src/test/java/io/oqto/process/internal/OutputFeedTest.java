package io.oqto.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.process.internal.limits.LimitEnforcers;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.FeedRecorder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushed output: the buffered tail first, then live lines, exit events, overflow for a slow client. */
class OutputFeedTest {

    @TempDir
    Path root;

    ProcessComponent table;
    private final List<FeedRecorder> recorders = new ArrayList<>();

    @BeforeEach
    void setUp() {
        table = new ProcessComponent(
                TestFixtures.workspaceAt(root),
                TestFixtures.WrappingSandbox.none(),
                TestProcessConfig.rlimits(),
                LimitEnforcers.Host.current());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (FeedRecorder r : recorders) {
            r.close();
        }
        table.deactivate();
    }

    private Frame call(String id, String type, Object... kv) throws ProtocolException {
        return TestFixtures.call(table, id, type, kv);
    }

    /** Subscribes the way the runner server would; {@code held}: the client reads nothing until released. */
    private FeedRecorder follow(boolean held, Object... kv) throws ProtocolException {
        EventFeed feed = table.subscribe(TestFixtures.frame("sub", "subscribe_output", kv));
        FeedRecorder r = held ? FeedRecorder.held(feed) : new FeedRecorder(feed);
        recorders.add(r);
        return r;
    }

    private static List<Long> seqs(FeedRecorder r) {
        List<Long> all = new ArrayList<>();
        for (Frame f : r.events) {
            if (f.type().equals("output")) {
                ((List<?>) f.fields().get("lines"))
                        .forEach(l -> all.add(((Number) ((Map<?, ?>) l).get("seq")).longValue()));
            }
        }
        return all;
    }

    @Test
    void aLateSubscriberGetsTheBufferedTailThenLiveLinesThenTheExitAndTheFeedIsOver() throws Exception {
        call(
                "s",
                "spawn_process",
                "name",
                "talk",
                "argv",
                List.of("/bin/sh", "-c", "echo one; echo two; read x; echo $x; exit 3"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (((List<?>) call("r", "read_output", "name", "talk").fields().get("lines")).size() < 2
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        EventFeed unread = table.subscribe(TestFixtures.frame("x", "subscribe_output", "name", "talk"));
        assertEquals(Map.of("name", "talk"), unread.replyFields());
        unread.close();
        FeedRecorder r = follow(false, "name", "talk", "after", 1);
        r.waitFor("output", 1);
        call("w", "write_stdin", "name", "talk", "data", "three\n");
        Frame exit = r.waitFor("process_exited", 1);
        assertEquals(List.of(2L, 3L), seqs(r), "the tail after seq 1, then the live line");
        assertEquals(3, ((Number) exit.fields().get("exit_code")).intValue());
        assertEquals(false, exit.fields().get("restarting"));
        assertEquals("talk", exit.fields().get("name"));
        deadline = System.nanoTime() + 10_000_000_000L;
        while (!r.over() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(r.over(), "after the final exit the feed is over");
    }

    @Test
    void aSlowSubscriberGetsAnOverflowEventNotUnboundedMemory() throws Exception {
        call("s", "spawn_process", "name", "flood", "argv", List.of("/bin/sh", "-c", "sleep 0.3; seq 1 30000"));
        FeedRecorder r = follow(true, "name", "flood");
        // The client reads nothing until the process is done: 30000 lines through a 10000-line buffer.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Boolean.FALSE.equals(
                        call("r", "process_status", "name", "flood").fields().get("process") instanceof Map<?, ?> m
                                ? m.get("running")
                                : null)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        r.release();
        r.waitFor("process_exited", 1);
        Frame overflow = r.waitFor("output_overflow", 1);
        long dropped = ((Number) overflow.fields().get("dropped")).longValue();
        List<Long> seqs = seqs(r);
        assertTrue(dropped >= 30000 - 10000, "dropped " + dropped);
        assertEquals(30000, seqs.size() + dropped, "every line either delivered or counted as dropped");
        assertEquals(30000L, seqs.get(seqs.size() - 1));
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(seqs.get(i) > seqs.get(i - 1), "in order");
        }
    }

    @Test
    void restartsGiveOneExitEventEachAndTheFeedFollows() throws Exception {
        call(
                "s",
                "spawn_process",
                "name",
                "flaky",
                "argv",
                List.of("/bin/sh", "-c", "sleep 0.2; echo run; kill -SEGV $$"),
                "restart",
                Map.of("policy", "on-failure", "max", 1, "backoff_ms", 50));
        FeedRecorder r = follow(false, "name", "flaky");
        Frame first = r.waitFor("process_exited", 1);
        Frame last = r.waitFor("process_exited", 2);
        assertEquals(true, first.fields().get("restarting"));
        assertEquals("SEGV", first.fields().get("exit_signal"));
        assertEquals(139, ((Number) first.fields().get("exit_code")).intValue());
        assertEquals(false, last.fields().get("restarting"));
        assertEquals(1, ((Number) last.fields().get("restarts")).intValue());
        long runs = r.events.stream()
                .filter(f -> f.type().equals("output"))
                .flatMap(f -> ((List<?>) f.fields().get("lines")).stream())
                .filter(l -> "run".equals(((Map<?, ?>) l).get("text")))
                .count();
        assertEquals(2, runs, "output of both runs");
    }

    @Test
    void listProcessesCountsOpenFeedsAndAnUnknownProcessOpensNone() throws Exception {
        call("s", "spawn_process", "name", "idle", "argv", List.of("/bin/sleep", "30"));
        FeedRecorder r = follow(false, "name", "idle");
        assertEquals(1, ((Number) call("l", "list_processes").fields().get("subscriptions")).intValue());
        r.close();
        assertEquals(0, ((Number) call("l", "list_processes").fields().get("subscriptions")).intValue());
        ProtocolException e = assertThrows(
                ProtocolException.class,
                () -> table.subscribe(TestFixtures.frame("e", "subscribe_output", "name", "nope")));
        assertEquals("process_not_found: no process named nope", e.code().wire() + ": " + e.getMessage());
        assertEquals(0, ((Number) call("l", "list_processes").fields().get("subscriptions")).intValue());
    }
}
