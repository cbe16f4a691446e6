package io.oqto.agent.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.Home;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.RunnerOperation;
import io.oqto.runner.spi.StreamingOperation;
import io.oqto.runner.spi.WorkspacePaths;
import io.oqto.runner.spi.eavs.EavsAccess;
import io.oqto.runner.spi.eavs.EavsAccessException;
import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryStore;
import io.oqto.runner.spi.process.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's agent sessions (protocol 1.2): {@code create_session}, {@code list_sessions},
 * {@code session_info}, {@code session_command} (relayed to pi when the state allows it),
 * {@code subscribe_session} (events pushed through the runner server's subscriptions, replayed from a sequence number),
 * {@code stop_session}, {@code restart_session}, {@code delete_session}. A watchdog stops stalled and
 * unwatched idle sessions, saying why.
 */
@Component(
        service = RunnerOperation.class,
        configurationPid = {"oqto.agent", "oqto.history"},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class AgentSessions implements StreamingOperation {

    static final Set<String> TYPES = Stream.concat(
                    Stream.of(
                            "create_session",
                            "list_sessions",
                            "list_models",
                            "session_info",
                            "session_command",
                            "subscribe_session",
                            "stop_session",
                            "restart_session",
                            "delete_session"),
                    HistoryRequests.TYPES.stream())
            .collect(Collectors.toUnmodifiableSet());
    /** Earlier conversations shown in the session list. */
    static final int EARLIER_LISTED = 50;

    private static final Pattern SESSION_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    private static final Logger LOG = LoggerFactory.getLogger(AgentSessions.class);

    private final ProcessLauncher launcher;
    private final WorkspacePaths workspace;
    private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
    /** Session feeds open (the runner server holds the subscriptions), for {@code list_sessions}. */
    private final AtomicInteger feeds = new AtomicInteger();
    /** Starts sessions (each waits for its pi to be ready); bounded by the session limit. */
    private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "oqto-session-start");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "oqto-session-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Path piAgentDir;
    /** The watchdog's run; ends with the watchdog's executor on deactivate. */
    private final ScheduledFuture<?> watching;

    /** The eavs connector; optional and dynamic so that updating it leaves the sessions running. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable EavsAccess eavs;

    /**
     * Where turns are kept; optional and dynamic: while none is there (its feature being installed, its bundle
     * updated) turns wait in the replay queue, unless {@code [history] store = "off"}.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable HistoryStore history;

    private final HistoryWriter historyWriter;
    private final HistoryRequests historyRequests;
    private volatile boolean historyOn;
    /** When the watchdog last tried the replay queue (it retries every {@link #REPLAY_EVERY_MS}). */
    private long lastReplayMs;

    private static final long REPLAY_EVERY_MS = 5_000;

    private volatile AgentSettings settings;
    private volatile String[] providers;
    private volatile boolean sharedProviderKeys;
    private final boolean multiUser;

    @Activate
    public AgentSessions(
            @Reference ProcessLauncher launcher,
            @Reference WorkspacePaths workspace,
            AgentConfig config,
            HistoryConfig historyConfig,
            BundleContext context) {
        this(
                launcher,
                workspace,
                config,
                PiModels.agentDir(),
                DeploymentMode.of(context).isMultiUser(),
                null,
                null,
                Home.state().resolve("oqto/history-queue.jsonl"));
        historyOn = historyOn(historyConfig);
    }

    AgentSessions(
            ProcessLauncher launcher,
            WorkspacePaths workspace,
            AgentConfig config,
            Path piAgentDir,
            boolean multiUser,
            @Nullable EavsAccess eavs) {
        this(
                launcher,
                workspace,
                config,
                piAgentDir,
                multiUser,
                eavs,
                null,
                Home.state().resolve("oqto/history-queue.jsonl"));
    }

    AgentSessions(
            ProcessLauncher launcher,
            WorkspacePaths workspace,
            AgentConfig config,
            Path piAgentDir,
            boolean multiUser,
            @Nullable EavsAccess eavs,
            @Nullable HistoryStore history,
            Path historyQueue) {
        this.eavs = eavs;
        this.history = history;
        this.historyOn = history != null;
        this.historyWriter =
                new HistoryWriter(() -> this.history, () -> historyOn, new HistoryQueue(historyQueue, 10_000));
        this.historyRequests = new HistoryRequests(() -> this.history, () -> historyOn, historyWriter);
        this.launcher = launcher;
        this.workspace = workspace;
        this.piAgentDir = piAgentDir;
        this.multiUser = multiUser;
        apply(config);
        watching = watchdog.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    @Modified
    void modified(AgentConfig config, HistoryConfig historyConfig) {
        apply(config);
        historyOn = historyOn(historyConfig);
    }

    private static boolean historyOn(HistoryConfig config) {
        return !config.store().equals("off");
    }

    private void apply(AgentConfig config) {
        PiModels.check(config.providers()); // an invalid entry fails here, at activation, not at the first session
        settings = AgentSettings.of(config);
        providers = config.providers();
        sharedProviderKeys = config.sharedProviderKeys();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        watching.cancel(false);
        watchdog.shutdownNow();
        starter.shutdownNow();
        for (AgentSession s : sessions.values()) {
            s.stop("runner stopping");
        }
        sessions.clear();
    }

    @Override
    public Set<String> types() {
        return TYPES;
    }

    /** The runner's status shows where history is kept, how many turns wait for the store, and sessions by state. */
    @Override
    public Map<String, Object> status() {
        Map<String, Integer> byState = new TreeMap<>();
        for (AgentSession s : sessions.values()) {
            byState.merge(s.state().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        return Map.of("history", historyRequests.state(), "sessions", byState);
    }

    /** A session that is not stopped, and history writes not yet stored, keep the runner running. */
    @Override
    public List<String> keepsRunning() {
        List<String> reasons = new ArrayList<>();
        long live = sessions.values().stream()
                .filter(s -> s.state() != AgentSession.State.STOPPED)
                .count();
        if (live > 0) {
            reasons.add(live + (live == 1 ? " agent session" : " agent sessions"));
        }
        if (historyRequests.state().get("waiting") instanceof Number waiting && waiting.longValue() > 0) {
            reasons.add(waiting + " history writes waiting");
        }
        return reasons;
    }

    @Override
    public Set<String> subscribingTypes() {
        return Set.of("subscribe_session");
    }

    /** {@code subscribe_session}: the session's events after {@code after}, replayed from its buffer first. */
    @Override
    public EventFeed subscribe(Frame r) throws ProtocolException {
        AgentSession s = get(r);
        feeds.incrementAndGet();
        return new SessionFeed(s, Math.max(0, r.number("after", 0)), feeds::decrementAndGet);
    }

    @Override
    public Frame handle(Frame r) throws ProtocolException {
        if (HistoryRequests.TYPES.contains(r.type())) {
            return historyRequests.handle(r, sessions::containsKey);
        }
        return switch (r.type()) {
            case "create_session" -> create(r);
            case "list_sessions" ->
                Frame.of(r.id(), "session_list")
                        .with("sessions", list())
                        .with("subscriptions", feeds.get())
                        .with("history", historyRequests.state());
            case "list_models" -> listModels(r);
            case "session_info" -> Frame.of(r.id(), "session_info").with("session", get(r).describe());
            case "session_command" -> command(r);
            case "stop_session" -> {
                AgentSession s = get(r);
                s.stop("stopped");
                yield Frame.of(r.id(), "session_stopped").with("session", s.describe());
            }
            case "restart_session" -> restart(r);
            case "delete_session" -> {
                AgentSession s = get(r);
                s.stop("deleted");
                sessions.remove(s.id(), s);
                yield Frame.of(r.id(), "session_deleted").with("session", s.id());
            }
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "not a session request: " + r.type(), null);
        };
    }

    private Frame create(Frame r) throws ProtocolException {
        String cwd = optional(r, "cwd", ".");
        String provider = name(r, "provider");
        String model = name(r, "model");
        if (sessions.size() >= settings.maxSessions()) {
            throw new ProtocolException(
                    ErrorCode.BUSY,
                    "this runner already has " + settings.maxSessions()
                            + " sessions ([agent] max_sessions); delete one first",
                    null);
        }
        Conversation earlier = earlier(r.fields().get("resume"));
        if (earlier != null) {
            return resume(r.id(), earlier, r.fields().containsKey("cwd") ? cwd : null, provider, model);
        }
        String id = optional(r, "session", UUID.randomUUID().toString().substring(0, 8));
        if (!SESSION_ID.matcher(id).matches()) {
            throw invalid("\"session\" must be 1-40 of a-z, 0-9 and -, starting with a letter or digit");
        }
        workspace.existing(cwd); // the workspace's one path rule: refused here, not when pi starts
        String resume = resumeFile(r.fields().get("resume"));
        AgentSession.ModelsFromEavs models = modelsFor(provider, model);
        AgentSession session = new AgentSession(id, cwd, provider, model, launcher, settings, models, historyWriter);
        if (resume != null) {
            session.resumeFrom(resume);
        }
        return startNew(r.id(), "session_created", session);
    }

    private Frame startNew(@Nullable String requestId, String replyType, AgentSession session)
            throws ProtocolException {
        if (sessions.putIfAbsent(session.id(), session) != null) {
            throw new ProtocolException(ErrorCode.PROCESS_EXISTS, "a session " + session.id() + " exists", null);
        }
        starter.execute(session::start);
        return Frame.of(requestId, replyType).with("session", session.describe());
    }

    /**
     * The conversation in history that {@code resume} names, when it is one with no session in this runner; null
     * when {@code resume} is absent or names none (then it may be an earlier pi session's id).
     */
    private @Nullable Conversation earlier(@Nullable Object resume) throws ProtocolException {
        if (!(resume instanceof String id) || !SESSION_ID.matcher(id).matches() || history == null || !historyOn) {
            return null;
        }
        if (sessions.containsKey(id)) {
            throw new ProtocolException(
                    ErrorCode.PROCESS_EXISTS,
                    "session " + id + " is in this runner: restart it (restart_session) instead of resuming it",
                    null);
        }
        try {
            return historyRequests.find(id);
        } catch (ProtocolException e) {
            if (e.code() == ErrorCode.CONVERSATION_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /**
     * A session continuing conversation {@code earlier} under its id: its messages stay where they are and new ones
     * follow them; pi continues its own session file when it still exists (else it starts with an empty context,
     * said in the {@code resumed} event).
     */
    private Frame resume(
            @Nullable String requestId,
            Conversation earlier,
            @Nullable String cwd,
            @Nullable String provider,
            @Nullable String model)
            throws ProtocolException {
        String dir = cwd != null ? cwd : earlier.workspace() != null ? earlier.workspace() : ".";
        workspace.existing(dir);
        String earlierModel = earlier.model();
        String[] answeredBy = earlierModel == null ? new String[0] : earlierModel.split("/", 2);
        String p = provider != null ? provider : answeredBy.length == 2 ? answeredBy[0] : null;
        String m = model != null ? model : answeredBy.length == 2 ? answeredBy[1] : null;
        AgentSession.ModelsFromEavs models = modelsFor(p, m);
        int next;
        try {
            next = historyWriter.nextIdx(earlier);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.IO_ERROR, "cannot read the history queue: " + e.getMessage(), null);
        }
        String piSession = earlier.agentSession();
        String piFile = piSession == null ? null : piSessionFile(piSession);
        AgentSession session = new AgentSession(earlier.id(), dir, p, m, launcher, settings, models, historyWriter);
        session.continueConversation(next, earlier.model(), earlier.createdAtMs(), piFile);
        return startNew(requestId, "session_created", session);
    }

    /**
     * The file of an earlier pi session, found by its id the way pi names them
     * ({@code <agent dir>/sessions/--<cwd>--/<time>_<id>.jsonl}); null when none was asked for.
     */
    private @Nullable String resumeFile(@Nullable Object resume) throws ProtocolException {
        if (resume == null) {
            return null;
        }
        if (!(resume instanceof String id) || !id.matches("[A-Za-z0-9-]{1,64}")) {
            throw invalid("\"resume\" must be the id of a conversation in history or of an earlier pi session");
        }
        String file = piSessionFile(id);
        if (file == null) {
            throw new ProtocolException(
                    ErrorCode.SESSION_NOT_FOUND,
                    "no conversation " + id + " in history and no pi session " + id + " under "
                            + piAgentDir.resolve("sessions"),
                    null);
        }
        return file;
    }

    /** pi's session file for its session id, or null when pi has none (pi writes it after the first answer). */
    private @Nullable String piSessionFile(String piSessionId) throws ProtocolException {
        Path sessionsDir = piAgentDir.resolve("sessions");
        try (Stream<Path> files = Files.exists(sessionsDir) ? Files.walk(sessionsDir, 2) : Stream.empty()) {
            return files.filter(f -> f.getFileName().toString().endsWith("_" + piSessionId + ".jsonl"))
                    .findFirst()
                    .map(Path::toString)
                    .orElse(null);
        } catch (IOException e) {
            throw new ProtocolException(
                    ErrorCode.IO_ERROR, "cannot look for pi session " + piSessionId + ": " + e.getMessage(), null);
        }
    }

    private Frame restart(Frame r) throws ProtocolException {
        Object id = r.fields().get("session");
        if (id instanceof String sid && !sessions.containsKey(sid)) {
            Conversation earlier = earlier(sid);
            if (earlier != null) {
                // An earlier session the list shows as stopped is restarted the one way it can be: resumed.
                return resume(r.id(), earlier, null, null, null);
            }
        }
        AgentSession s = get(r);
        if (s.state() != AgentSession.State.STOPPED) {
            throw new ProtocolException(
                    ErrorCode.INVALID_STATE,
                    "session " + s.id() + " is " + s.state().name().toLowerCase(Locale.ROOT)
                            + "; only a stopped session can be restarted",
                    null);
        }
        if (!s.usesEavs()) {
            writeModels();
        }
        starter.execute(s::start);
        return Frame.of(r.id(), "session_restarting").with("session", s.describe());
    }

    private Frame command(Frame r) throws ProtocolException {
        AgentSession s = get(r);
        if (!(r.fields().get("command") instanceof String command)) {
            throw invalid("\"command\" is required: one of " + new TreeSet<>(AgentSession.COMMANDS));
        }
        Map<String, Object> fields = new LinkedHashMap<>(r.fields());
        fields.remove("session");
        fields.remove("command");
        return Frame.of(r.id(), "session_reply")
                .with("session", s.id())
                .with("command", command)
                .with("data", s.command(command, fields).get("data"));
    }

    /**
     * The sessions in this runner, then the latest conversations in history that have none here (ended before the
     * runner restarted, or deleted): stopped, and resumable with {@code restart_session} or
     * {@code create_session {"resume": id}}.
     */
    private List<Map<String, Object>> list() {
        List<Map<String, Object>> all = new ArrayList<>();
        sessions.values().stream()
                .sorted(Comparator.comparing(AgentSession::id))
                .forEach(s -> all.add(s.describe()));
        for (Conversation c : historyRequests.latest(EARLIER_LISTED)) {
            if (!sessions.containsKey(c.id()) && SESSION_ID.matcher(c.id()).matches()) {
                all.add(AgentSession.describeEarlier(c));
            }
        }
        return all;
    }

    private void watch() {
        replayHistory();
        for (AgentSession s : sessions.values()) {
            try {
                s.watch();
            } catch (RuntimeException e) {
                LOG.error("watching session {} failed", s.id(), e);
            }
        }
    }

    /** Every few seconds, what waits in the history queue is sent when a store is there (without a new turn). */
    private void replayHistory() {
        long now = System.currentTimeMillis();
        if (now - lastReplayMs < REPLAY_EVERY_MS || historyWriter.waiting() <= 0) {
            return;
        }
        lastReplayMs = now;
        try {
            for (String refused : historyWriter.replay()) {
                LOG.error("history refused a queued write (kept in the .refused file): {}", refused);
            }
        } catch (IOException e) {
            LOG.error("cannot replay the history queue: {}", e.getMessage());
        }
    }

    /**
     * Where pi's models come from: through eavs when it is configured (the choice checked against eavs's providers
     * now, models.json written at each start), else {@code [agent] providers}, written now (null returned).
     */
    private AgentSession.@Nullable ModelsFromEavs modelsFor(@Nullable String provider, @Nullable String model)
            throws ProtocolException {
        EavsAccess e = eavs;
        if (e == null) {
            // Nothing falls back to shared keys while the connector is away (being updated, or not installed).
            throw new ProtocolException(
                    ErrorCode.SPAWN_FAILED,
                    "the eavs connector (bundle io.oqto.eavs) is not running: agents cannot reach an LLM",
                    null);
        }
        if (!e.enabled()) {
            writeModels();
            return null;
        }
        if (providers.length > 0) {
            // Both set would leave one silently unused; say which wins instead.
            throw new ProtocolException(
                    ErrorCode.SPAWN_FAILED,
                    "[agent] providers and [eavs] base_url are both set: with eavs every provider comes from eavs; "
                            + "remove [agent] providers",
                    null);
        }
        try {
            e.checkChoice(provider, model);
        } catch (EavsAccessException x) {
            throw invalid(x.getMessage());
        }
        return () -> {
            EavsAccess now = eavs;
            if (now == null || !now.enabled()) {
                throw new EavsAccessException(
                        EavsAccessException.Reason.UNREACHABLE,
                        "the eavs connector (bundle io.oqto.eavs) is not running, or [eavs] base_url was removed");
            }
            return now.writePiModels(piAgentDir);
        };
    }

    /**
     * {@code list_models}: what pi's models.json offers a new session, prepared as a start prepares it: written from
     * eavs with the user's key, or {@code [agent] providers} (listed without reading their keys), or the user's own
     * file.
     */
    private Frame listModels(Frame r) throws ProtocolException {
        EavsAccess e = eavs;
        Map<String, Object> modelsJson;
        String source;
        if (e == null) {
            throw new ProtocolException(
                    ErrorCode.AGENT_ERROR,
                    "the eavs connector (bundle io.oqto.eavs) is not running: agents cannot reach an LLM",
                    null);
        } else if (e.enabled()) {
            try {
                e.writePiModels(piAgentDir);
            } catch (EavsAccessException x) {
                throw new ProtocolException(
                        ErrorCode.AGENT_ERROR, "cannot list eavs's models: " + x.getMessage(), null);
            }
            modelsJson = readModelsJson();
            source = "eavs";
        } else if (providers.length > 0) {
            modelsJson = PiModels.withoutKeys(providers);
            source = "agent.providers";
        } else {
            modelsJson = readModelsJson();
            source = "user";
        }
        return Frame.of(r.id(), "model_list")
                .with("models", ModelChoices.of(modelsJson))
                .with("source", source);
    }

    /** pi's models.json as it is now; empty when there is none. */
    private Map<String, Object> readModelsJson() throws ProtocolException {
        Path file = piAgentDir.resolve("models.json");
        try {
            return Files.exists(file) ? Json.object(Files.readString(file)) : Map.of();
        } catch (IOException x) {
            throw new ProtocolException(ErrorCode.AGENT_ERROR, "cannot read " + file + ": " + x.getMessage(), null);
        }
    }

    private void writeModels() throws ProtocolException {
        String[] entries = providers;
        if (entries.length == 0) {
            return; // the user's own models.json, if any, stays as it is
        }
        if (multiUser && !sharedProviderKeys) {
            // Whatever key pi gets, its user can read: a real provider key would be every user's.
            throw new ProtocolException(
                    ErrorCode.SPAWN_FAILED,
                    "[agent] providers: in multi-user mode a provider key given "
                            + "to an agent can be read by its user; give agents their own keys through the LLM proxy, or set "
                            + "[agent] shared_provider_keys = true to share these keys with every user",
                    null);
        }
        try {
            PiModels.write(piAgentDir, PiModels.of(entries));
        } catch (IOException | IllegalArgumentException e) {
            throw new ProtocolException(
                    ErrorCode.SPAWN_FAILED, "cannot write pi's models.json: " + e.getMessage(), null);
        }
    }

    private AgentSession get(Frame r) throws ProtocolException {
        Object id = r.fields().get("session");
        AgentSession s = id instanceof String sid ? sessions.get(sid) : null;
        if (s == null) {
            throw new ProtocolException(ErrorCode.SESSION_NOT_FOUND, "no session " + id, null);
        }
        return s;
    }

    private static String optional(Frame r, String key, String dflt) throws ProtocolException {
        Object v = r.fields().getOrDefault(key, dflt);
        if (!(v instanceof String s)) {
            throw invalid("\"" + key + "\" must be a string");
        }
        return s;
    }

    private static @Nullable String name(Frame r, String key) throws ProtocolException {
        Object v = r.fields().get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || !NAME.matcher(s).matches()) {
            throw invalid("\"" + key + "\" must be a provider or model name");
        }
        return s;
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, message, null);
    }
}
