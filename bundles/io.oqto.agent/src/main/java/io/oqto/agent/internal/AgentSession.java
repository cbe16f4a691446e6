package io.oqto.agent.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.SequencedBuffer;
import io.oqto.runner.spi.eavs.EavsAccessException;
import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.runner.spi.process.LaunchException;
import io.oqto.runner.spi.process.LaunchedProcess;
import io.oqto.runner.spi.process.ProcessLauncher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent session: a pi process in RPC mode in a workspace directory, its state, and its event log.
 *
 * <pre>
 * starting ──agent ready──▶ idle ──prompt──▶ streaming ──agent_end──▶ idle
 *    │                        ▲                 │ abort
 *    │                        └────agent_end── aborting
 *    └─▶ stopped (start failed, crashed, stalled, idle, stopped) ──restart──▶ starting
 * </pre>
 *
 * Commands that do not fit the state are refused with {@code invalid_state}, before anything reaches pi.
 */
final class AgentSession {

    enum State {
        STARTING,
        IDLE,
        STREAMING,
        ABORTING,
        STOPPED
    }

    private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);
    private static final Set<String> ANY_LIVE =
            Set.of("get_state", "get_messages", "get_available_models", "get_session_stats");
    private static final Set<String> IDLE_ONLY =
            Set.of("prompt", "set_model", "set_thinking_level", "set_auto_retry", "compact", "new_session");
    private static final Set<String> STREAMING_ONLY = Set.of("steer", "follow_up", "abort");
    static final Set<String> COMMANDS = union(ANY_LIVE, IDLE_ONLY, STREAMING_ONLY);

    private final String id;
    private final String cwd;
    private final @Nullable String provider;
    private final @Nullable String model;
    private volatile Instant createdAt = Instant.now();
    private final SequencedBuffer<AgentEvent> log;
    private final ProcessLauncher launcher;
    private final AgentSettings settings;
    private final AtomicInteger subscribers = new AtomicInteger();
    private volatile State state = State.STARTING;
    private volatile @Nullable String stopReason;
    private volatile @Nullable String piSessionId;
    private volatile @Nullable String piSessionFile;
    private volatile @Nullable PiConnection pi;
    private volatile long unwatchedSinceNanos = System.nanoTime();
    private final CostTally cost = new CostTally();
    /** Where its turns are kept; null without history. */
    private final @Nullable HistoryWriter history;
    /** The idx the next message written to history gets. */
    private int nextHistoryIdx;
    /** {@code provider/model} of its latest answer (history's conversation model). */
    private @Nullable String answeredBy;
    /** Writes pi's models.json from eavs before each start; null when agents use {@code [agent] providers}. */
    private final @Nullable ModelsFromEavs eavs;

    /** The eavs stage of a start: pi's models.json written from eavs's providers; the providers written. */
    @FunctionalInterface
    interface ModelsFromEavs {
        List<String> write() throws EavsAccessException;
    }

    /** Resume pi's own session file instead of starting a new conversation. */
    void resumeFrom(String sessionFile) {
        this.piSessionFile = sessionFile;
    }

    /**
     * Continues a conversation kept in history: new messages follow its {@code nextIdx} messages, and pi continues
     * its own session file when there is one (else pi starts without the earlier context, which the
     * {@code session.resumed} event says).
     */
    void continueConversation(
            int nextIdx, @Nullable String answeredBy, long createdAtMs, @Nullable String sessionFile) {
        synchronized (this) {
            this.nextHistoryIdx = nextIdx;
            this.answeredBy = answeredBy;
        }
        this.createdAt = Instant.ofEpochMilli(createdAtMs);
        this.piSessionFile = sessionFile;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messages", nextIdx);
        data.put("agent_context", sessionFile != null);
        append("session.resumed", data);
    }

    /** A conversation in history with no session in this runner, as the session list shows it: stopped, resumable. */
    static Map<String, Object> describeEarlier(Conversation c) {
        String model = c.model();
        String provider = null;
        int slash = model == null ? -1 : model.indexOf('/');
        if (model != null && slash > 0) {
            provider = model.substring(0, slash);
            model = model.substring(slash + 1);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("state", "stopped");
        m.put("stop_reason", "earlier");
        m.put("cwd", c.workspace() == null ? "." : c.workspace());
        m.put("provider", provider);
        m.put("model", model);
        m.put("pi_session_id", c.agentSession());
        m.put("created_at", Instant.ofEpochMilli(c.createdAtMs()).toString());
        m.put("last_seq", 0);
        m.put("subscribers", 0);
        m.put("pid", null);
        m.put("cost", null);
        m.put("title", c.title());
        m.put("messages", c.messageCount());
        m.put("resumable", true);
        return m;
    }

    AgentSession(
            String id,
            String cwd,
            @Nullable String provider,
            @Nullable String model,
            ProcessLauncher launcher,
            AgentSettings settings,
            @Nullable ModelsFromEavs eavs,
            @Nullable HistoryWriter history) {
        this.history = history;
        this.id = id;
        this.eavs = eavs;
        this.cwd = cwd;
        this.provider = provider;
        this.model = model;
        this.launcher = launcher;
        this.settings = settings;
        this.log = new SequencedBuffer<>(settings.replayEvents());
    }

    String id() {
        return id;
    }

    /** Whether its models come from eavs (written at each start) rather than {@code [agent] providers}. */
    boolean usesEavs() {
        return eavs != null;
    }

    /** Numbers the event and keeps it for replay. */
    private void append(String type, Map<String, Object> data) {
        long now = System.currentTimeMillis();
        log.append(seq -> AgentEvent.of(seq, type, now, data));
    }

    SequencedBuffer<AgentEvent> log() {
        return log;
    }

    State state() {
        return state;
    }

    /**
     * Starts (or restarts) pi and waits, on the calling thread, until it answers {@code get_state}; every
     * stage is an event, and a failure names the stage it happened in.
     */
    void start() {
        synchronized (this) {
            if (state != State.STARTING && state != State.STOPPED) {
                return;
            }
            transition(State.STARTING, null);
        }
        long startedNanos = System.nanoTime();
        if (eavs != null) {
            try {
                stage("eavs", Map.of("providers", eavs.write()));
            } catch (EavsAccessException e) {
                fail("eavs", e.getMessage(), "start_failed");
                return;
            }
        }
        stage("spawning", Map.of());
        PiConnection connection = new PiConnection(this::onPiEvent);
        List<String> args = new ArrayList<>();
        if (provider != null) {
            args.addAll(List.of("--provider", provider));
        }
        if (model != null) {
            args.addAll(List.of("--model", model));
        }
        if (piSessionFile != null) {
            args.addAll(List.of("--session", piSessionFile));
        }
        LaunchedProcess process;
        try {
            process = launcher.launchProgram("pi", "agent-" + id, args, cwd, Map.of(), connection::onLine);
        } catch (LaunchException e) {
            fail("spawning", e.code().wire() + ": " + e.getMessage(), "start_failed");
            return;
        }
        connection.attach(process);
        pi = connection;
        process.exited().thenAccept(code -> onExit(connection, code));
        stage("sandbox_ready", Map.of("pid", process.pid(), "command", process.command()));
        try {
            Map<String, Object> answer =
                    connection.send("get_state", Map.of()).get(settings.startTimeoutMs(), TimeUnit.MILLISECONDS);
            Map<?, ?> data = answer.get("data") instanceof Map<?, ?> d ? d : Map.of();
            piSessionId = data.get("sessionId") instanceof String s ? s : null;
            piSessionFile = data.get("sessionFile") instanceof String f ? f : piSessionFile;
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("pi_session_id", piSessionId);
            ready.put("model", data.get("model") instanceof Map<?, ?> m ? m.get("id") : null);
            ready.put("startup_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
            stage("agent_ready", ready);
            synchronized (this) {
                if (state == State.STARTING) {
                    transition(State.IDLE, null);
                }
            }
        } catch (TimeoutException e) {
            fail(
                    "agent_ready",
                    "pi did not answer get_state within " + settings.startTimeoutMs() + " ms" + stderr(process),
                    "start_failed");
            stopProcess();
        } catch (ExecutionException e) {
            fail("agent_ready", "pi failed before it was ready: " + causeOf(e) + stderr(process), "start_failed");
            stopProcess();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Relays one command to pi if the state allows it; returns pi's response data. */
    Map<String, Object> command(String type, Map<String, Object> fields) throws ProtocolException {
        if (!COMMANDS.contains(type)) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST,
                    "unknown session command \"" + type + "\" (one of " + new TreeSet<>(COMMANDS) + ")",
                    null);
        }
        CommandFields.check(type, fields);
        CompletableFuture<Map<String, Object>> reply;
        synchronized (this) {
            State s = state;
            boolean allowed = s != State.STOPPED
                    && s != State.STARTING
                    && (ANY_LIVE.contains(type)
                            || (IDLE_ONLY.contains(type) && s == State.IDLE)
                            || (STREAMING_ONLY.contains(type) && s == State.STREAMING));
            if (!allowed) {
                throw new ProtocolException(
                        ErrorCode.INVALID_STATE,
                        "session " + id + " is " + s.name().toLowerCase(Locale.ROOT)
                                + (stopReason != null && s == State.STOPPED ? " (" + stopReason + ")" : "") + "; "
                                + type + " "
                                + (IDLE_ONLY.contains(type)
                                        ? "needs an idle session"
                                        : STREAMING_ONLY.contains(type)
                                                ? "needs a streaming session"
                                                : "needs a running session"),
                        null);
            }
            PiConnection c = pi;
            if (c == null) { // a live state always has its pi; this is the guard the compiler can see
                throw new ProtocolException(ErrorCode.INVALID_STATE, "session " + id + " has no agent running", null);
            }
            if (type.equals("prompt")) {
                transition(State.STREAMING, null);
            } else if (type.equals("abort")) {
                transition(State.ABORTING, null);
            }
            reply = c.send(type, CommandFields.toPi(fields));
        }
        try {
            Map<String, Object> r = reply.get(type.equals("compact") ? 600_000 : 60_000, TimeUnit.MILLISECONDS);
            Object data = r.get("data");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("data", data);
            return out;
        } catch (ExecutionException e) {
            synchronized (this) {
                if (type.equals("prompt") && state == State.STREAMING) {
                    transition(State.IDLE, null);
                }
            }
            throw new ProtocolException(ErrorCode.AGENT_ERROR, "pi refused " + type + ": " + causeOf(e), null);
        } catch (TimeoutException e) {
            throw new ProtocolException(ErrorCode.TIMEOUT, "pi did not answer " + type + " in time", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProtocolException(ErrorCode.INTERNAL, "interrupted", null);
        }
    }

    /** Ends pi; the session stays (restartable) with the reason visible. */
    void stop(String reason) {
        synchronized (this) {
            if (state == State.STOPPED) {
                return;
            }
            transition(State.STOPPED, reason);
        }
        stopProcess();
    }

    /** Called every second: a stalled stream or an unwatched idle session is stopped, with the reason. */
    void watch() {
        State s = state;
        PiConnection c = pi;
        if ((s == State.STREAMING || s == State.ABORTING)
                && c != null
                && c.nanosSinceLastLine() > TimeUnit.MILLISECONDS.toNanos(settings.stallTimeoutMs())) {
            error("running", "pi sent nothing for " + settings.stallTimeoutMs() + " ms while working; stopped it");
            stop("stalled");
        } else if (s == State.IDLE
                && subscribers.get() == 0
                && System.nanoTime() - unwatchedSinceNanos > TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMs())) {
            stop("idle");
        }
    }

    void subscribed() {
        subscribers.incrementAndGet();
    }

    void unsubscribed() {
        if (subscribers.decrementAndGet() == 0) {
            unwatchedSinceNanos = System.nanoTime();
        }
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("state", state.name().toLowerCase(Locale.ROOT));
        m.put("stop_reason", stopReason);
        m.put("cwd", cwd);
        m.put("provider", provider);
        m.put("model", model);
        m.put("pi_session_id", piSessionId);
        m.put("created_at", createdAt.toString());
        m.put("last_seq", log.lastSeq());
        m.put("subscribers", subscribers.get());
        PiConnection c = pi;
        LaunchedProcess process = c == null ? null : c.process();
        m.put("pid", process == null || state == State.STOPPED ? null : process.pid());
        m.put("cost", cost.describe());
        return m;
    }

    private void onPiEvent(Map<String, Object> event) {
        String t = String.valueOf(event.get("type"));
        synchronized (this) {
            if (t.equals("agent_start") && state == State.IDLE) {
                transition(State.STREAMING, null);
            } else if (t.equals("agent_end") && (state == State.STREAMING || state == State.ABORTING)) {
                // The turn is in history before the session says it is idle (or history says why not).
                keepHistory(event.get("messages"));
                // Logged after the agent.idle event below, so a client sees the end of the run first.
                PiEvents.Translated tr = PiEvents.translate(event);
                if (tr != null) {
                    append(tr.type(), tr.data());
                }
                transition(State.IDLE, null);
                return;
            }
        }
        if (t.equals("oqto_unparsed_line")) {
            error("running", "pi wrote a line that is not JSON: " + event.get("line"));
            return;
        }
        PiEvents.Translated tr = PiEvents.translate(event);
        if (tr != null) {
            append(tr.type(), tr.data());
        }
        if (t.equals("message_end") && event.get("message") instanceof Map<?, ?> message) {
            cost.add(message);
            EavsRefusal refusal = eavs == null ? null : EavsRefusal.of(message);
            if (refusal != null) {
                // Said as what it is (over budget, revoked), not left as a generic upstream failure.
                append(
                        "session.error",
                        Map.of(
                                "stage",
                                "llm",
                                "code",
                                refusal.code(),
                                "message",
                                refusal.message(),
                                "recoverable",
                                true));
            }
        }
    }

    /** Writes the run's messages at the next idxs; a turn history cannot keep is a {@code history.error} event. */
    private void keepHistory(@Nullable Object messages) {
        HistoryWriter h = history;
        if (h == null || !(messages instanceof List<?> list) || list.isEmpty()) {
            return;
        }
        List<HistoryMessage> turn = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> m) {
                HistoryMessage hm = PiHistory.of(id, nextHistoryIdx + turn.size(), m);
                turn.add(hm);
                if (hm.model() != null) {
                    answeredBy = hm.model();
                }
            }
        }
        Conversation conversation = new Conversation(
                id,
                null,
                cwd,
                answeredBy,
                createdAt.toEpochMilli(),
                System.currentTimeMillis(),
                nextHistoryIdx + turn.size(),
                cost.tokens(),
                cost.usd(),
                piSessionId);
        HistoryWriter.Outcome outcome = h.write(conversation, turn);
        nextHistoryIdx += turn.size();
        if (outcome.error() != null) {
            append("history.error", Map.of("message", outcome.error(), "messages", turn.size()));
        } else if (outcome.queued()) {
            append("history.queued", Map.of("messages", turn.size(), "waiting", h.waiting()));
        }
    }

    private void onExit(PiConnection connection, int code) {
        connection.failPending("pi exited with code " + code);
        synchronized (this) {
            if (pi != connection || state == State.STOPPED) {
                return;
            }
            error("running", "pi exited unexpectedly with code " + code + stderr(connection.process()));
            transition(State.STOPPED, "crashed");
        }
    }

    private void fail(String stage, String message, String reason) {
        error(stage, message);
        synchronized (this) {
            transition(State.STOPPED, reason);
        }
        LOG.warn("session {}: {} failed: {}", id, stage, message);
    }

    /** A {@code session.error} event: what went wrong at which stage; the session can be restarted. */
    private void error(String stage, String message) {
        append("session.error", Map.of("stage", stage, "message", message, "recoverable", true));
    }

    private void stopProcess() {
        PiConnection c = pi;
        LaunchedProcess process = c == null ? null : c.process();
        if (process != null) {
            try {
                process.stop(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stage(String stage, Map<String, Object> extra) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("stage", stage);
        d.putAll(extra);
        append("session.starting", d);
    }

    /** Changes state and logs it; callers hold the lock. */
    private void transition(State next, @Nullable String reason) {
        State previous = state;
        state = next;
        stopReason = next == State.STOPPED ? reason : null;
        if (previous != next) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("state", next.name().toLowerCase(Locale.ROOT));
            d.put("previous", previous.name().toLowerCase(Locale.ROOT));
            if (reason != null) {
                d.put("reason", reason);
            }
            append("session.state", d);
        }
        if (next == State.IDLE) {
            unwatchedSinceNanos = System.nanoTime();
        }
    }

    /** Why a future failed, in words. */
    private static String causeOf(ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return String.valueOf(cause.getMessage());
    }

    private static String stderr(@Nullable LaunchedProcess p) {
        List<String> tail = p == null ? List.of() : p.stderrTail(5);
        return tail.isEmpty() ? "" : "; its last stderr: " + String.join(" | ", tail);
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }
}
