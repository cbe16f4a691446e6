package io.oqto.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.process.internal.limits.LimitEnforcers;
import io.oqto.runner.protocol.EventChannel;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushed output: the buffered tail first, then live lines, exit events, overflow for a slow client. */
class OutputSubscriptionTest {

    @TempDir
    Path root;
    ProcessTable table;

    /** A connection that records events; it can be held back like a client that stops reading. */
    static final class RecordingChannel implements EventChannel {
        final List<Frame> events = new CopyOnWriteArrayList<>();
        volatile CountDownLatch held = new CountDownLatch(0);
        volatile boolean open = true;

        @Override
        public boolean send(Frame event) {
            try {
                held.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add(event);
            return open;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        List<String> types() {
            return events.stream().map(Frame::type).toList();
        }

        List<Long> seqs() {
            List<Long> all = new ArrayList<>();
            for (Frame f : events) {
                if (f.type().equals("output")) {
                    ((List<?>) f.fields().get("lines")).forEach(l -> all.add(((Number) ((Map<?, ?>) l).get("seq")).longValue()));
                }
            }
            return all;
        }

        Frame waitFor(String type, int count) throws InterruptedException {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                List<Frame> matching = events.stream().filter(f -> f.type().equals(type)).toList();
                if (matching.size() >= count) {
                    return matching.get(count - 1);
                }
                Thread.sleep(10);
            }
            throw new AssertionError("no " + count + "x " + type + " in " + types());
        }
    }

    @BeforeEach
    void setUp() {
        table = new ProcessTable(TestFixtures.workspaceAt(root), TestFixtures.WrappingSandbox.none(), TestProcessConfig.rlimits(),
                LimitEnforcers.Host.current());
    }

    @AfterEach
    void tearDown() throws Exception {
        table.deactivate();
    }

    private Frame call(EventChannel channel, String id, String type, Object... kv) throws ProtocolException {
        return TestFixtures.call(table, channel, id, type, kv);
    }

    @Test
    void aLateSubscriberGetsTheBufferedTailThenLiveLinesThenTheExit() throws Exception {
        RecordingChannel ch = new RecordingChannel();
        call(ch, "s", "spawn_process", "name", "talk", "argv", List.of("/bin/sh", "-c", "echo one; echo two; read x; echo $x; exit 3"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (((List<?>) call(ch, "r", "read_output", "name", "talk").fields().get("lines")).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("subscribed", call(ch, "sub1", "subscribe_output", "name", "talk", "after", 1).type());
        ch.waitFor("output", 1);
        call(ch, "w", "write_stdin", "name", "talk", "data", "three\n");
        Frame exit = ch.waitFor("process_exited", 1);
        assertEquals(List.of(2L, 3L), ch.seqs(), "the tail after seq 1, then the live line");
        assertEquals(3, ((Number) exit.fields().get("exit_code")).intValue());
        assertEquals(false, exit.fields().get("restarting"));
        assertEquals("sub1", exit.fields().get("subscription"));
        assertEquals(null, exit.id());
    }

    @Test
    void aSlowSubscriberGetsAnOverflowEventNotUnboundedMemory() throws Exception {
        RecordingChannel ch = new RecordingChannel();
        ch.held = new CountDownLatch(1);
        call(ch, "s", "spawn_process", "name", "flood", "argv", List.of("/bin/sh", "-c", "sleep 0.3; seq 1 30000"));
        call(ch, "sub", "subscribe_output", "name", "flood");
        // The client reads nothing until the process is done: 30000 lines through a 10000-line buffer.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Boolean.FALSE.equals(call(ch, "r", "process_status", "name", "flood").fields().get("process") instanceof Map<?, ?> m
                ? m.get("running") : null) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ch.held.countDown();
        ch.waitFor("process_exited", 1);
        Frame overflow = ch.waitFor("output_overflow", 1);
        long dropped = ((Number) overflow.fields().get("dropped")).longValue();
        List<Long> seqs = ch.seqs();
        assertTrue(dropped >= 30000 - 10000 - OutputSubscription.BATCH, "dropped " + dropped);
        assertEquals(30000, seqs.size() + dropped, "every line either delivered or counted as dropped");
        assertEquals(30000L, seqs.get(seqs.size() - 1));
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(seqs.get(i) > seqs.get(i - 1), "in order");
        }
    }

    @Test
    void restartsGiveOneExitEventEachAndTheSubscriptionFollows() throws Exception {
        RecordingChannel ch = new RecordingChannel();
        call(ch, "s", "spawn_process", "name", "flaky", "argv", List.of("/bin/sh", "-c", "sleep 0.2; echo run; kill -SEGV $$"),
                "restart", Map.of("policy", "on-failure", "max", 1, "backoff_ms", 50));
        call(ch, "sub", "subscribe_output", "name", "flaky");
        Frame first = ch.waitFor("process_exited", 1);
        Frame last = ch.waitFor("process_exited", 2);
        assertEquals(true, first.fields().get("restarting"));
        assertEquals("SEGV", first.fields().get("exit_signal"));
        assertEquals(139, ((Number) first.fields().get("exit_code")).intValue());
        assertEquals(false, last.fields().get("restarting"));
        assertEquals(1, ((Number) last.fields().get("restarts")).intValue());
        long runs = ch.events.stream().filter(f -> f.type().equals("output"))
                .flatMap(f -> ((List<?>) f.fields().get("lines")).stream()).filter(l -> "run".equals(((Map<?, ?>) l).get("text"))).count();
        assertEquals(2, runs, "output of both runs");
    }

    @Test
    void unsubscribeEndsTheStreamAndItsThread() throws Exception {
        RecordingChannel ch = new RecordingChannel();
        call(ch, "s", "spawn_process", "name", "idle", "argv", List.of("/bin/sleep", "30"));
        call(ch, "sub", "subscribe_output", "name", "idle");
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("oqto-subscription idle")));
        assertEquals("unsubscribed", call(ch, "u", "unsubscribe", "subscription", "sub").type());
        assertEquals("unsubscribed", ch.waitFor("subscription_ended", 1).fields().get("reason"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("oqto-subscription idle"))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("oqto-subscription idle")));
        assertEquals("invalid_request: no subscription sub on this connection", err(ch, "unsubscribe", "subscription", "sub"));
        assertEquals("process_not_found: no process named nope", err(ch, "subscribe_output", "name", "nope"));
    }

    private String err(EventChannel ch, String type, Object... kv) {
        ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class, () -> call(ch, "e", type, kv));
        return e.code().wire() + ": " + e.getMessage();
    }
}
