package io.oqto.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.ConfinedWorkspace;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.FeedRecorder;
import io.oqto.runner.spi.WorkspacePaths;
import io.oqto.runner.spi.eavs.EavsAccess;
import io.oqto.testing.llm.FakeLlm;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent sessions with the real pi (installed by the test command) against the scripted fake LLM: start-up
 * stages, a streamed reply, a tool round trip, state rules, abort, a crash and a restart, stall and idle
 * stops, replay and resync.
 */
class AgentSessionsTest {

    /** The eavs connector with no {@code [eavs]}: sessions use {@code [agent] providers}. */
    static final EavsAccess NO_EAVS = new EavsAccess() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void checkChoice(String provider, String model) {
            throw new AssertionError("checkChoice without eavs");
        }

        @Override
        public List<String> writePiModels(Path agentDir) {
            throw new AssertionError("writePiModels without eavs");
        }
    };

    @TempDir
    Path dir;

    FakeLlm llm;
    DirectLauncher launcher;
    AgentSessions sessions;
    long stallMs = 60_000;
    long startTimeoutMs = 30_000;
    String providerKey = "literal:test-key";
    boolean sharedProviderKeys;
    long idleMs = 600_000;
    int replay = 5000;
    private final List<FeedRecorder> recorders = new CopyOnWriteArrayList<>();

    /** A client of the sessions: records the events of every session it follows. */
    static final class Recorder {
        final List<FeedRecorder> feeds = new CopyOnWriteArrayList<>();
        final List<Frame> frames = new AbstractList<>() {
            @Override
            public Frame get(int index) {
                return feeds.stream().flatMap(f -> f.events.stream()).toList().get(index);
            }

            @Override
            public int size() {
                return feeds.stream().mapToInt(f -> f.events.size()).sum();
            }
        };

        List<Map<?, ?>> events() {
            return frames.stream()
                    .filter(f -> f.type().equals("session_events"))
                    .flatMap(f -> ((List<?>) f.fields().get("events")).stream())
                    .<Map<?, ?>>map(Recorder::decoded)
                    .toList();
        }

        /** Events travel encoded ({@code JsonTrees.Raw}); the codec would write them as they are. */
        static Map<?, ?> decoded(Object raw) {
            try {
                return Json.object(((io.oqto.runner.protocol.JsonTrees.Raw) raw).json());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        List<String> types() {
            return events().stream().map(e -> (String) e.get("type")).toList();
        }

        /** Waits until an event matches, then returns it. */
        Map<?, ?> await(Predicate<Map<?, ?>> match, String what) throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (Map<?, ?> e : events()) {
                    if (match.test(e)) {
                        return e;
                    }
                }
                Thread.sleep(10);
            }
            throw new AssertionError("no " + what + " in " + types());
        }
    }

    static Predicate<Map<?, ?>> type(String t) {
        return e -> t.equals(e.get("type"));
    }

    static Predicate<Map<?, ?>> state(String s) {
        return e -> "session.state".equals(e.get("type")) && s.equals(((Map<?, ?>) e.get("data")).get("state"));
    }

    @BeforeEach
    void setUp() throws Exception {
        llm = new FakeLlm(0);
        Files.createDirectories(dir.resolve("ws"));
        launcher = new DirectLauncher(dir.resolve("ws"), dir.resolve("agent"));
        sessions = new AgentSessions(launcher, workspace(), config(), dir.resolve("agent"), false, NO_EAVS);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (FeedRecorder r : recorders) {
            r.close();
        }
        sessions.deactivate();
        launcher.killAll();
        llm.close();
    }

    private WorkspacePaths workspace() throws IOException {
        return new ConfinedWorkspace(dir.resolve("ws"));
    }

    /** An {@code [agent]} section as DS would give it. */
    // A typed configuration as DS gives it: its string lists are arrays, as the annotation declares them.
    @SuppressWarnings({"ArrayRecordComponent", "ImmutableAnnotationChecker"})
    record TestAgentConfig(
            long startTimeoutMs,
            long stallTimeoutMs,
            long idleTimeoutMs,
            int replayEvents,
            int maxSessions,
            String[] providers,
            boolean sharedProviderKeys)
            implements AgentConfig {

        /** The defaults: no {@code [agent] providers}. */
        static TestAgentConfig defaults() {
            return new TestAgentConfig(30_000, 60_000, 600_000, 5000, 4, new String[0], false);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return AgentConfig.class;
        }
    }

    /** A {@code [history]} section as DS would give it. */
    @SuppressWarnings("ImmutableAnnotationChecker")
    record TestHistoryConfig(String store, String hstry) implements HistoryConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return HistoryConfig.class;
        }
    }

    static final HistoryConfig HISTORY_OFF = new TestHistoryConfig("off", "hstry");

    private AgentConfig config() {
        return new TestAgentConfig(
                startTimeoutMs,
                stallMs,
                idleMs,
                replay,
                4,
                new String[] {"fake openai-completions " + llm.baseUrl() + " " + providerKey + " " + FakeLlm.MODEL},
                sharedProviderKeys);
    }

    /** One request; a subscribing one is followed by {@code ch} the way the runner server would. */
    private Frame call(Recorder ch, String type, Object... kv) throws ProtocolException {
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        Frame request = new Frame("r-" + System.nanoTime(), type, f);
        if (!sessions.subscribingTypes().contains(type)) {
            return sessions.handle(request);
        }
        EventFeed feed = sessions.subscribe(request);
        FeedRecorder recorder = new FeedRecorder(feed);
        ch.feeds.add(recorder);
        recorders.add(recorder);
        return Frame.of(request.id(), "subscribed")
                .with("subscription", request.id())
                .with("session", f.get("session"));
    }

    private String error(Recorder ch, String type, Object... kv) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> call(ch, type, kv));
        return e.code().wire() + ": " + e.getMessage();
    }

    /** Creates a session, subscribes, waits until it is idle. */
    private Recorder ready(String id) throws Exception {
        Recorder r = new Recorder();
        call(r, "create_session", "session", id, "provider", "fake", "model", FakeLlm.MODEL);
        call(r, "subscribe_session", "session", id);
        r.await(state("idle"), "idle");
        call(r, "session_command", "session", id, "command", "set_auto_retry", "enabled", false);
        return r;
    }

    private static String text(Recorder r) {
        return r.events().stream()
                .filter(type("message.delta"))
                .filter(e -> "text".equals(((Map<?, ?>) e.get("data")).get("kind")))
                .map(e -> (String) ((Map<?, ?>) e.get("data")).get("delta"))
                .collect(Collectors.joining());
    }

    @Test
    void startsInStagesThenStreamsAReplyInOrder() throws Exception {
        Recorder r = ready("s1");
        List<String> stages = r.events().stream()
                .filter(type("session.starting"))
                .map(e -> (String) ((Map<?, ?>) e.get("data")).get("stage"))
                .toList();
        assertEquals(List.of("spawning", "sandbox_ready", "agent_ready"), stages);
        assertTrue(
                Files.readString(dir.resolve("agent/models.json")).contains("\"baseUrl\":\"" + llm.baseUrl() + "\""));

        call(r, "session_command", "session", "s1", "command", "prompt", "message", "hello");
        r.await(type("agent.idle"), "the end of the run");
        r.await(state("idle"), "idle again");
        assertEquals("You said: hello", text(r));
        List<String> types = r.types();
        assertTrue(
                types.indexOf("agent.working") < types.indexOf("message.delta")
                        && types.indexOf("message.delta") < types.lastIndexOf("message.end")
                        && types.lastIndexOf("message.end") < types.indexOf("agent.idle"),
                types.toString());
        List<Long> seqs = r.events().stream()
                .map(e -> ((Number) e.get("seq")).longValue())
                .toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "no gaps, no duplicates");
        }
        assertEquals("Bearer test-key", llm.requests().get(0).authorization());
        Frame messages = call(r, "session_command", "session", "s1", "command", "get_messages");
        assertTrue(messages.fields().get("data").toString().contains("You said: hello"));
    }

    @Test
    void thinkingComesAsItsOwnDeltasBeforeTheText() throws Exception {
        Recorder r = ready("thinker");
        call(r, "session_command", "session", "thinker", "command", "prompt", "message", "think: why");
        r.await(type("agent.idle"), "the end of the run");
        List<Map<?, ?>> deltas = r.events().stream()
                .filter(type("message.delta"))
                .<Map<?, ?>>map(e -> (Map<?, ?>) e.get("data"))
                .toList();
        String thinking = deltas.stream()
                .filter(d -> "thinking".equals(d.get("kind")))
                .map(d -> (String) d.get("delta"))
                .collect(Collectors.joining());
        assertEquals("Considering why", thinking);
        assertEquals("You said: why", text(r));
        assertEquals("thinking", deltas.get(0).get("kind"), deltas.toString());
    }

    @Test
    void aToolCallRunsAndItsResultGoesBackToTheModel() throws Exception {
        Recorder r = ready("tool");
        call(r, "session_command", "session", "tool", "command", "prompt", "message", "run: echo tool-$((20+22))");
        Map<?, ?> end = r.await(type("tool.end"), "tool end");
        assertTrue(end.get("data").toString().contains("tool-42"), end.toString());
        r.await(type("agent.idle"), "the end of the run");
        assertTrue(text(r).startsWith("The command printed: tool-42"), text(r));
    }

    @Test
    void commandsThatDoNotFitTheStateAreRefusedAndAbortLeavesItUsable() throws Exception {
        Recorder r = ready("ab");
        assertEquals(
                "invalid_state: session ab is idle; abort needs a streaming session",
                error(r, "session_command", "session", "ab", "command", "abort"));
        call(r, "session_command", "session", "ab", "command", "prompt", "message", "slow");
        r.await(type("message.delta"), "the first delta");
        assertEquals(
                "invalid_state: session ab is streaming; prompt needs an idle session",
                error(r, "session_command", "session", "ab", "command", "prompt", "message", "again"));
        call(r, "session_command", "session", "ab", "command", "abort");
        r.await(type("agent.idle"), "the aborted run's end");
        r.await(state("idle"), "idle");
        call(r, "session_command", "session", "ab", "command", "prompt", "message", "after abort");
        r.await(e -> text(r).endsWith("You said: after abort"), "a reply after the abort");
        assertEquals(
                "invalid_request: unknown session command \"rm\" (one of [abort, compact, follow_up, get_available_models, "
                        + "get_messages, get_session_stats, get_state, new_session, prompt, set_auto_retry, set_model, set_thinking_level, steer])",
                error(r, "session_command", "session", "ab", "command", "rm"));
        assertEquals("session_not_found: no session nope", error(r, "session_info", "session", "nope"));
    }

    @Test
    void anUpstreamErrorEndsTheRunAndTheSessionStaysIdle() throws Exception {
        Recorder r = ready("up");
        call(r, "session_command", "session", "up", "command", "prompt", "message", "fail");
        Map<?, ?> end = r.await(
                e -> "message.end".equals(e.get("type")) && "assistant".equals(((Map<?, ?>) e.get("data")).get("role")),
                "the failed assistant message");
        assertTrue(
                end.get("data").toString().contains("stopReason=error")
                        && end.get("data").toString().contains("500"),
                end.toString());
        r.await(state("idle"), "idle");
    }

    @Test
    void aKilledPiGivesAnErrorEventAndTheSessionRestarts() throws Exception {
        Recorder r = ready("crash");
        call(r, "session_command", "session", "crash", "command", "prompt", "message", "hello");
        r.await(type("agent.idle"), "a first run, so pi has a session file");
        long pid = ((Number) ((Map<?, ?>) call(r, "session_info", "session", "crash")
                                .fields()
                                .get("session"))
                        .get("pid"))
                .longValue();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Map<?, ?> err = r.await(type("session.error"), "the crash");
        assertTrue(err.get("data").toString().contains("pi exited unexpectedly with code 137"), err.toString());
        r.await(
                e -> "session.state".equals(e.get("type"))
                        && "crashed".equals(((Map<?, ?>) e.get("data")).get("reason")),
                "stopped");
        assertEquals(
                "invalid_state: session crash is stopped (crashed); prompt needs an idle session",
                error(r, "session_command", "session", "crash", "command", "prompt", "message", "x"));
        call(r, "restart_session", "session", "crash");
        long idles = r.events().stream().filter(state("idle")).count();
        r.await(e -> r.events().stream().filter(state("idle")).count() > idles, "idle after the restart");
        Frame messages = call(r, "session_command", "session", "crash", "command", "get_messages");
        assertTrue(
                messages.fields().get("data").toString().contains("You said: hello"),
                "resumed with its history: " + messages);
    }

    @Test
    void aNewSessionCanResumeAnEarlierPiSessionById() throws Exception {
        Recorder r = ready("first");
        call(r, "session_command", "session", "first", "command", "prompt", "message", "remember me");
        r.await(type("agent.idle"), "the first conversation");
        String piId = (String) ((Map<?, ?>)
                        call(r, "session_info", "session", "first").fields().get("session"))
                .get("pi_session_id");
        call(r, "delete_session", "session", "first");

        Recorder again = new Recorder();
        call(again, "create_session", "session", "second", "resume", piId, "provider", "fake", "model", FakeLlm.MODEL);
        call(again, "subscribe_session", "session", "second");
        again.await(state("idle"), "idle");
        Frame messages = call(again, "session_command", "session", "second", "command", "get_messages");
        assertTrue(messages.fields().get("data").toString().contains("You said: remember me"), messages.toString());
        assertEquals(
                "session_not_found: no conversation 0000-nope in history and no pi session 0000-nope under "
                        + dir.resolve("agent/sessions"),
                error(again, "create_session", "session", "third", "resume", "0000-nope"));
        assertEquals(
                "invalid_request: \"resume\" must be the id of a conversation in history or of an earlier pi session",
                error(again, "create_session", "session", "third", "resume", "../x"));
    }

    @Test
    void aPiThatNeverAnswersFailsAtTheAgentReadyStage() throws Exception {
        sessions.deactivate();
        Path silent = Files.writeString(dir.resolve("silent-pi"), "#!/bin/sh\nexec sleep 60\n");
        silent.toFile().setExecutable(true);
        launcher = new DirectLauncher(dir.resolve("ws"), dir.resolve("agent")) {
            @Override
            public io.oqto.runner.spi.process.LaunchedProcess launchProgram(
                    String program,
                    String name,
                    List<String> args,
                    String cwd,
                    Map<String, String> env,
                    Consumer<String> stdout)
                    throws io.oqto.runner.spi.process.LaunchException {
                return super.launchWith(silent.toString(), args, cwd, env, stdout);
            }
        };
        startTimeoutMs = 1500;
        sessions = new AgentSessions(launcher, workspace(), config(), dir.resolve("agent"), false, NO_EAVS);
        Recorder r = new Recorder();
        call(r, "create_session", "session", "mute");
        call(r, "subscribe_session", "session", "mute");
        Map<?, ?> err = r.await(type("session.error"), "the start-up failure");
        assertEquals("agent_ready", ((Map<?, ?>) err.get("data")).get("stage"));
        assertEquals("pi did not answer get_state within 1500 ms", ((Map<?, ?>) err.get("data")).get("message"));
        r.await(
                e -> "session.state".equals(e.get("type"))
                        && "start_failed".equals(((Map<?, ?>) e.get("data")).get("reason")),
                "stopped: start_failed");
    }

    @Test
    void aProviderKeyFromAFileReachesTheProviderAndAMissingOneIsNamed() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("fake.key"), "from-a-file\n");
        providerKey = "file:" + keyFile;
        sessions.modified(config(), HISTORY_OFF);
        Recorder r = ready("filed");
        call(r, "session_command", "session", "filed", "command", "prompt", "message", "hello");
        r.await(type("agent.idle"), "the end of the run");
        assertEquals("Bearer from-a-file", llm.requests().get(0).authorization());

        providerKey = "file:" + dir.resolve("missing.key");
        sessions.modified(config(), HISTORY_OFF);
        assertEquals(
                "spawn_failed: cannot write pi's models.json: [agent] providers entry \"fake\": cannot read key file "
                        + dir.resolve("missing.key") + " as " + System.getProperty("user.name") + ": no such file",
                error(
                        new Recorder(),
                        "create_session",
                        "session",
                        "nokey",
                        "provider",
                        "fake",
                        "model",
                        FakeLlm.MODEL));
    }

    @Test
    void modelsAreListedFromTheProvidersWithoutTheirKeysOrFromTheUsersOwnFile() throws Exception {
        providerKey = "file:" + dir.resolve("missing.key"); // listing reads no key
        sessions.modified(config(), HISTORY_OFF);
        Frame list = call(new Recorder(), "list_models");
        assertEquals("agent.providers", list.fields().get("source"));
        assertEquals(
                List.of(model("fake", FakeLlm.MODEL, null, false)),
                list.fields().get("models"));

        sessions.modified(TestAgentConfig.defaults(), HISTORY_OFF);
        list = call(new Recorder(), "list_models");
        assertEquals("user", list.fields().get("source"));
        assertEquals(List.of(), list.fields().get("models"), "no models.json: nothing to offer");

        Path own = dir.resolve("agent/models.json");
        Files.createDirectories(own.getParent());
        Files.writeString(
                own,
                "{\"providers\":{\"mine\":{\"baseUrl\":\"http://127.0.0.1:1/v1\",\"api\":\"openai-completions\","
                        + "\"models\":[{\"id\":\"m1\",\"name\":\"Model One\",\"reasoning\":true},{\"name\":\"no id\"},"
                        + "{\"id\":\"m2\"}]},\"empty\":{}}}");
        list = call(new Recorder(), "list_models");
        assertEquals(
                List.of(model("mine", "m1", "Model One", true), model("mine", "m2", null, false)),
                list.fields().get("models"));

        Files.writeString(own, "[1]");
        assertEquals("agent_error: cannot read " + own + ": not a JSON object", error(new Recorder(), "list_models"));
    }

    private static Map<String, Object> model(String provider, String id, @Nullable String name, boolean reasoning) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", provider);
        m.put("id", id);
        m.put("name", name);
        m.put("reasoning", reasoning);
        return m;
    }

    @Test
    void mistypedCommandFieldsAreRefusedBeforeTheyReachPi() throws Exception {
        Recorder r = ready("typed");
        assertEquals(
                "invalid_request: prompt: \"message\" must be a string",
                error(r, "session_command", "session", "typed", "command", "prompt", "message", 5));
        assertEquals(
                "invalid_request: prompt: \"images\" must be an array when given",
                error(
                        r,
                        "session_command",
                        "session",
                        "typed",
                        "command",
                        "prompt",
                        "message",
                        "hi",
                        "images",
                        "x.png"));
        assertEquals(
                "invalid_request: set_model: \"model_id\" must be a string",
                error(r, "session_command", "session", "typed", "command", "set_model", "provider", "fake"));
        assertEquals(
                "invalid_request: set_model: \"model_id\" must be a string",
                error(
                        r,
                        "session_command",
                        "session",
                        "typed",
                        "command",
                        "set_model",
                        "provider",
                        "fake",
                        "modelId",
                        7));
        assertEquals(
                "invalid_request: set_auto_retry: \"enabled\" must be true or false",
                error(r, "session_command", "session", "typed", "command", "set_auto_retry", "enabled", "yes"));
        assertEquals(0, llm.requests().size(), "nothing reached the model");
        assertEquals(
                "idle",
                ((Map<?, ?>) call(r, "session_info", "session", "typed")
                                .fields()
                                .get("session"))
                        .get("state"));
    }

    @Test
    void inMultiUserModeProviderKeysReachAgentsOnlyWhenTheOperatorSharesThem() throws Exception {
        sessions.deactivate();
        sessions = new AgentSessions(launcher, workspace(), config(), dir.resolve("agent"), true, NO_EAVS);
        assertEquals(
                "spawn_failed: [agent] providers: in multi-user mode a provider key given to an agent can be read by its "
                        + "user; give agents their own keys through the LLM proxy, or set [agent] shared_provider_keys = true to share "
                        + "these keys with every user",
                error(
                        new Recorder(),
                        "create_session",
                        "session",
                        "refused",
                        "provider",
                        "fake",
                        "model",
                        FakeLlm.MODEL));
        assertFalse(Files.exists(dir.resolve("agent/models.json")), "no key was written");
        sharedProviderKeys = true;
        sessions.modified(config(), HISTORY_OFF);
        ready("shared");
    }

    @Test
    void aStalledStreamAndAnUnwatchedIdleSessionAreStoppedWithTheirReason() throws Exception {
        stallMs = 1500;
        idleMs = 1500;
        sessions.modified(config(), HISTORY_OFF);
        Recorder r = ready("stall");
        call(r, "session_command", "session", "stall", "command", "prompt", "message", "hang");
        Map<?, ?> err = r.await(type("session.error"), "the stall");
        assertEquals(
                "pi sent nothing for 1500 ms while working; stopped it", ((Map<?, ?>) err.get("data")).get("message"));
        r.await(
                e -> "session.state".equals(e.get("type"))
                        && "stalled".equals(((Map<?, ?>) e.get("data")).get("reason")),
                "stalled");

        Recorder other = new Recorder();
        call(other, "create_session", "session", "lonely", "provider", "fake", "model", FakeLlm.MODEL);
        long deadline = System.nanoTime() + 30_000_000_000L;
        Map<?, ?> info = null;
        while (System.nanoTime() < deadline) {
            info = (Map<?, ?>)
                    call(other, "session_info", "session", "lonely").fields().get("session");
            if ("stopped".equals(info.get("state"))) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals("idle", info.get("stop_reason"), String.valueOf(info));
    }

    @Test
    void aLateSubscriberGetsTheReplayAndOneThatFellBehindGetsAResync() throws Exception {
        replay = 20;
        sessions.modified(config(), HISTORY_OFF);
        Recorder first = ready("rp");
        call(
                first,
                "session_command",
                "session",
                "rp",
                "command",
                "prompt",
                "message",
                "a rather long message to get many deltas");
        first.await(type("agent.idle"), "end");
        first.await(state("idle"), "idle");
        long last = ((Number) ((Map<?, ?>) call(first, "session_info", "session", "rp")
                                .fields()
                                .get("session"))
                        .get("last_seq"))
                .longValue();
        assertTrue(last > 20, "more events than the replay window: " + last);

        Recorder late = new Recorder();
        call(late, "subscribe_session", "session", "rp", "after", last - 5);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (late.events().size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // The replay starts right after "after"; pi may still add an event after the idle one (then it follows).
        assertEquals(
                List.of(last - 4, last - 3, last - 2, last - 1, last),
                late.events().stream()
                        .map(e -> ((Number) e.get("seq")).longValue())
                        .toList()
                        .subList(0, 5));

        Recorder behind = new Recorder();
        call(behind, "subscribe_session", "session", "rp", "after", 0);
        deadline = System.nanoTime() + 10_000_000_000L;
        // The resync and the batch after it are two frames: wait for both.
        while ((behind.frames.size() < 2
                        || behind.frames.stream().noneMatch(f -> f.type().equals("session_resync")))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Frame resync = behind.frames.get(0);
        assertEquals("session_resync", resync.type());
        // The window holds the last 20 events (more if pi added one since "last" was read): what it missed is
        // everything before them, and the replay starts right after.
        long missed = ((Number) resync.fields().get("missed")).longValue();
        assertTrue(missed >= last - 20 && missed <= last - 19, "missed " + missed + " of " + last);
        assertEquals(
                missed + 1,
                ((Number) Recorder.decoded(
                                        ((List<?>) behind.frames.get(1).fields().get("events")).get(0))
                                .get("seq"))
                        .longValue());
    }

    @Test
    void aStartThatCannotSpawnNamesTheStage() throws Exception {
        launcher.refuse = "[programs] pi: program \"pi\" not found or not executable (looked in: /usr/bin)";
        Recorder r = new Recorder();
        call(r, "create_session", "session", "nopi");
        call(r, "subscribe_session", "session", "nopi");
        Map<?, ?> err = r.await(type("session.error"), "the failure");
        assertEquals("spawning", ((Map<?, ?>) err.get("data")).get("stage"));
        assertEquals(
                "spawn_failed: [programs] pi: program \"pi\" not found or not executable (looked in: /usr/bin)",
                ((Map<?, ?>) err.get("data")).get("message"));
        assertEquals(
                "path_not_allowed: path ../x is not allowed: it contains ..",
                error(r, "create_session", "session", "bad", "cwd", "../x"));
        assertEquals(
                "path_not_allowed: path /etc is not allowed: an absolute path must lie inside the workspace "
                        + dir.resolve("ws").toRealPath(),
                error(r, "create_session", "session", "bad", "cwd", "/etc"));
        assertEquals(
                "path_not_found: no such file or directory: nowhere",
                error(r, "create_session", "session", "bad", "cwd", "nowhere"));
    }
}
