package io.oqto.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.agent.internal.AgentSessionsTest.Recorder;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.spi.ConfinedWorkspace;
import io.oqto.runner.spi.FeedRecorder;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.testing.llm.FakeLlm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Turns of the real pi written to history before the session says it is idle, queued while the store is down. */
class HistorySessionsTest {

    @TempDir
    Path dir;

    private FakeLlm llm;
    private DirectLauncher launcher;
    private AgentSessions sessions;
    private final HistoryQueueTest.RecordingStore store = new HistoryQueueTest.RecordingStore();
    private final List<FeedRecorder> feeds = new CopyOnWriteArrayList<>();
    /** What the store held when the session said idle, turn by turn. */
    private final List<Integer> heldAtIdle = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        llm = new FakeLlm(0);
        Files.createDirectories(dir.resolve("ws"));
        launcher = new DirectLauncher(dir.resolve("ws"), dir.resolve("agent"));
        sessions = runner(store);
    }

    /** A runner's sessions: all of them share the pi agent directory, the store and the replay queue. */
    private AgentSessions runner(HistoryQueueTest.@Nullable RecordingStore bound) throws Exception {
        AgentSessionsTest.TestAgentConfig config = new AgentSessionsTest.TestAgentConfig(
                30_000,
                60_000,
                600_000,
                5000,
                4,
                new String[] {"fake openai-completions " + llm.baseUrl() + " literal:test-key " + FakeLlm.MODEL},
                false);
        AgentSessions s = new AgentSessions(
                launcher,
                new ConfinedWorkspace(dir.resolve("ws")),
                config,
                dir.resolve("agent"),
                false,
                AgentSessionsTest.NO_EAVS,
                bound,
                dir.resolve("state/history-queue.jsonl"));
        s.modified(config, new AgentSessionsTest.TestHistoryConfig("auto", "hstry"));
        return s;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (FeedRecorder f : feeds) {
            f.close();
        }
        sessions.deactivate();
        launcher.killAll();
        llm.close();
    }

    private Recorder ready(String id) throws Exception {
        Recorder r = new Recorder();
        sessions.handle(Frame.of("1", "create_session")
                .with("session", id)
                .with("provider", "fake")
                .with("model", FakeLlm.MODEL));
        FeedRecorder feed = new FeedRecorder(
                sessions.subscribe(Frame.of("2", "subscribe_session").with("session", id)));
        feeds.add(feed);
        r.feeds.add(feed);
        r.await(AgentSessionsTest.state("idle"), "idle");
        sessions.handle(Frame.of("3", "session_command")
                .with("session", id)
                .with("command", "set_auto_retry")
                .with("enabled", false));
        return r;
    }

    private void turn(Recorder r, String id, String message, int idleEvents) throws Exception {
        sessions.handle(Frame.of("4", "session_command")
                .with("session", id)
                .with("command", "prompt")
                .with("message", message));
        r.await(
                e -> r.types().stream().filter("agent.idle"::equals).count() >= idleEvents,
                "the end of turn " + idleEvents);
        heldAtIdle.add(store.messages.size());
    }

    @Test
    void threeTurnsWithAToolCallAreInHistoryByIdxBeforeEachIdle() throws Exception {
        Recorder r = ready("h1");
        turn(r, "h1", "hello", 1);
        turn(r, "h1", "run: echo tool-$((40+2))", 2);
        turn(r, "h1", "bye", 3);
        List<HistoryMessage> all = store.messages.entrySet().stream()
                .filter(e -> e.getKey().startsWith("h1/"))
                .map(Map.Entry::getValue)
                .sorted(java.util.Comparator.comparingInt(HistoryMessage::idx))
                .toList();
        assertEquals(
                java.util.stream.IntStream.range(0, all.size()).boxed().toList(),
                all.stream().map(HistoryMessage::idx).toList(),
                "idx 0, 1, 2, … without gaps");
        assertEquals("hello", all.get(0).content());
        assertTrue(
                all.stream().anyMatch(m -> m.parts().stream().anyMatch(p -> "tool_call".equals(p.get("type")))),
                "the tool call is a part");
        assertTrue(
                all.stream()
                        .anyMatch(m -> m.role().equals("tool") && m.content().contains("tool-42")),
                "and its result a tool message");
        assertEquals("bye", all.get(all.size() - 2).content());
        assertEquals(2, heldAtIdle.get(0), "the first turn's two messages were held when it went idle");
        assertEquals(all.size(), heldAtIdle.get(2), "and all of them at the last idle");
        assertTrue(heldAtIdle.get(1) > 2, "the tool turn was held when it went idle: " + heldAtIdle);
    }

    @Test
    void whileTheStoreIsDownTurnsAreQueuedThenWrittenOnceInOrder() throws Exception {
        Recorder r = ready("h2");
        store.down = true;
        turn(r, "h2", "one", 1);
        turn(r, "h2", "two", 2);
        assertEquals(0, store.messages.size());
        assertEquals(2, r.types().stream().filter("history.queued"::equals).count());
        store.down = false;
        turn(r, "h2", "three", 3);
        assertEquals(List.of("h2#0#1", "h2#2#3", "h2#4#5"), store.writes, "the queue first, in order, then the turn");
        assertEquals(6, store.messages.size());
    }

    @Test
    void aRestartedRunnerListsTheEarlierSessionAndResumesItWithItsMessagesAndPisContext() throws Exception {
        Recorder r = ready("r1");
        turn(r, "r1", "remember the word zebra", 1);
        sessions.deactivate(); // the runner stops: pi ends, the session is gone from memory
        sessions = runner(store);
        Map<?, ?> earlier = sessionsListed().stream()
                .filter(x -> "r1".equals(x.get("id")))
                .findFirst()
                .orElseThrow();
        assertEquals("stopped", earlier.get("state"));
        assertEquals("earlier", earlier.get("stop_reason"));
        assertEquals(true, earlier.get("resumable"));
        assertEquals(2L, earlier.get("messages"));
        assertEquals("fake", earlier.get("provider"));
        assertEquals(FakeLlm.MODEL, earlier.get("model"));

        Frame created = sessions.handle(Frame.of("5", "create_session").with("resume", "r1"));
        assertEquals("r1", ((Map<?, ?>) created.fields().get("session")).get("id"));
        Recorder again = new Recorder();
        FeedRecorder feed = new FeedRecorder(
                sessions.subscribe(Frame.of("6", "subscribe_session").with("session", "r1")));
        feeds.add(feed);
        again.feeds.add(feed);
        Map<?, ?> resumed = again.await(AgentSessionsTest.type("session.resumed"), "the resume");
        assertEquals(Map.of("messages", 2, "agent_context", true), resumed.get("data"));
        again.await(AgentSessionsTest.state("idle"), "idle");
        turn(again, "r1", "which word?", 1);
        assertTrue(
                llm.requests().get(llm.requests().size() - 1).body().toString().contains("remember the word zebra"),
                "pi continued its own context");
        assertEquals(List.of("r1#0#1", "r1#2#3"), store.writes, "the conversation continues at idx 2");
        assertEquals(4L, store.find("r1").orElseThrow().messageCount());
    }

    @Test
    void withoutAStoreYetTurnsWaitAndTheWatchdogWritesThemWhenOneComes() throws Exception {
        sessions.deactivate();
        HistoryQueueTest.RecordingStore later = new HistoryQueueTest.RecordingStore();
        later.down = true; // "bound" but not answering, as a store whose feature is still being installed
        sessions = runner(later);
        Recorder r = ready("w1");
        turn(r, "w1", "one", 1);
        assertEquals(1, r.types().stream().filter("history.queued"::equals).count());
        later.down = false;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (later.writes.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of("w1#0#1"), later.writes, "replayed without another turn");
        Map<?, ?> history = (Map<?, ?>)
                sessions.handle(Frame.of("7", "list_sessions")).fields().get("history");
        assertEquals(Map.of("store", "recording", "waiting", 0), history);
    }

    private List<Map<?, ?>> sessionsListed() throws Exception {
        List<?> all = (List<?>)
                sessions.handle(Frame.of("l", "list_sessions")).fields().get("sessions");
        return all.stream().<Map<?, ?>>map(x -> (Map<?, ?>) x).toList();
    }

    @Test
    void aTurnTheStoreRefusesIsAHistoryError() throws Exception {
        Recorder r = ready("h3");
        store.refuse = "h3";
        turn(r, "h3", "one", 1);
        Map<?, ?> error = r.await(AgentSessionsTest.type("history.error"), "the refusal");
        assertEquals(
                "history refused the turn: hstry at 127.0.0.1:1: INVALID_ARGUMENT bad parts",
                ((Map<?, ?>) error.get("data")).get("message"));
    }
}
