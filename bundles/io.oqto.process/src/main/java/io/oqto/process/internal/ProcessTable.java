package io.oqto.process.internal;

import io.oqto.api.process.LaunchException;
import io.oqto.api.process.LaunchRequest;
import io.oqto.api.process.LaunchedProcess;
import io.oqto.api.sandbox.SandboxService;
import io.oqto.api.sandbox.SandboxUnavailableException;
import io.oqto.process.internal.limits.LimitEnforcer;
import io.oqto.process.internal.limits.LimitEnforcers;
import io.oqto.process.internal.limits.Limits;
import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.RunnerOperation;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.SequencedBuffer;
import io.oqto.runner.spi.StreamingOperation;
import io.oqto.runner.spi.WorkspacePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's processes, by caller-chosen {@code name}: {@code spawn_process} (inside the workspace, sandboxed
 * unless asked otherwise), {@code list_processes}, {@code process_status}, {@code read_output},
 * {@code write_stdin}, {@code signal_process}, {@code stop_process} (SIGTERM, grace, SIGKILL of the tree).
 * A process that crashes is just recorded as exited; on deactivate every process is stopped.
 */
@Component(service = {RunnerOperation.class, ProcessTable.class}, configurationPid = "oqto.processes",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProcessConfig.class)
public final class ProcessTable implements StreamingOperation {

    static final Set<String> TYPES = Set.of("spawn_process", "list_processes", "process_status", "read_output",
            "write_stdin", "signal_process", "stop_process", "subscribe_output");
    static final Set<String> SIGNALS = Set.of("TERM", "KILL", "INT", "HUP", "USR1", "USR2", "STOP", "CONT");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTable.class);

    private final WorkspacePaths workspace;
    private final SandboxService sandbox;
    private final Map<String, ManagedProcess> processes = new ConcurrentHashMap<>();
    /** Output feeds open (the runner server holds the subscriptions), for {@code list_processes}. */
    private final AtomicInteger feeds = new AtomicInteger();

    /** Runs delayed restarts; one daemon thread, shut down on deactivate. */
    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "oqto-process-restart");
        t.setDaemon(true);
        return t;
    });
    private final Launcher launcher = new Launcher();
    /** Where each spawn's environment waits for its program. */
    private final EnvironmentHandoff handoff;
    private final java.util.concurrent.atomic.AtomicLong spawns = new java.util.concurrent.atomic.AtomicLong();
    private final LimitEnforcers.Host host;
    private volatile Settings settings;
    private volatile boolean active = true;
    /** Restarts that were due but not done because the process was stopped meanwhile (seen by tests). */
    final java.util.concurrent.atomic.AtomicInteger skippedRestarts = new java.util.concurrent.atomic.AtomicInteger();

    /** The configured ceilings and the way they are enforced, or why limits cannot be enforced. */
    private record Settings(Limits ceiling, LimitEnforcer enforcer, String problem, int outputLines) {
    }

    @Activate
    public ProcessTable(@Reference WorkspacePaths workspace, @Reference SandboxService sandbox, ProcessConfig config) {
        this(workspace, sandbox, config, LimitEnforcers.Host.current());
    }

    ProcessTable(WorkspacePaths workspace, SandboxService sandbox, ProcessConfig config, LimitEnforcers.Host host) {
        this.workspace = workspace;
        this.sandbox = sandbox;
        this.host = host;
        try {
            this.handoff = new EnvironmentHandoff(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the spawn environment directory: " + e.getMessage(), e);
        }
        modified(config);
    }

    /** A config edit changes limits for later spawns; running processes carry on. */
    @Modified
    void modified(ProcessConfig config) {
        Limits ceiling = new Limits(config.memoryMb(), config.tasks(), config.cpuPercent());
        try {
            LimitEnforcer enforcer = LimitEnforcers.detect(config.limits(), host);
            settings = new Settings(ceiling, enforcer, null, config.outputLines());
            LOG.info("process limits {} by {}: {}", ceiling.describe(), enforcer.mechanism(), enforcer.detail());
        } catch (LimitEnforcers.Unavailable e) {
            settings = new Settings(ceiling, null, e.getMessage(), config.outputLines());
            LOG.error("processes cannot be limited, spawns will be refused: {}", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        active = false;
        restarter.shutdownNow();
        for (ManagedProcess p : processes.values()) {
            p.stop(2000);
        }
        processes.clear();
        launcher.close();
        try {
            handoff.close();
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", handoff.directory(), e.getMessage());
        }
    }

    /** How limits are enforced here, for {@code list_processes}. */
    Map<String, Object> limitsReport() {
        Settings s = settings;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mechanism", s.enforcer() == null ? "unavailable" : s.enforcer().mechanism());
        m.put("detail", s.enforcer() == null ? s.problem() : s.enforcer().detail());
        m.put("ceiling", s.ceiling().describe());
        return m;
    }

    @Override
    public Set<String> types() {
        return TYPES;
    }

    @Override
    public Set<String> subscribingTypes() {
        return Set.of("subscribe_output");
    }

    /** {@code subscribe_output}: the process's output from {@code after} on, and its exits. */
    @Override
    public EventFeed subscribe(Frame r) throws ProtocolException {
        ManagedProcess p = get(r);
        feeds.incrementAndGet();
        return new OutputFeed(p, Math.max(r.number("after", 0), 0), processes::get, feeds::decrementAndGet);
    }

    @Override
    public Frame handle(Frame r) throws ProtocolException {
        try {
            return switch (r.type()) {
                case "spawn_process" -> spawn(r);
                case "list_processes" -> list(r);
                case "process_status" -> Frame.of(r.id(), "process_status").with("process", get(r).describe());
                case "read_output" -> read(r);
                case "write_stdin" -> Frame.of(r.id(), "stdin_written").with("bytes_written",
                        get(r).writeStdin(text(r, "data").getBytes(StandardCharsets.UTF_8)));
                case "signal_process" -> signal(r);
                case "stop_process" -> stop(r);
                default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "not a process request: " + r.type(), null);
            };
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.IO_ERROR, e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProtocolException(ErrorCode.INTERNAL, "interrupted", null);
        }
    }

    private Frame spawn(Frame r) throws ProtocolException, IOException, InterruptedException {
        List<String> argv = strings(r.fields().get("argv"), "argv");
        if (argv.isEmpty()) {
            throw invalid("\"argv\" must name a program");
        }
        Object cwdField = r.fields().getOrDefault("cwd", ".");
        if (!(cwdField instanceof String cwdText)) {
            throw invalid("\"cwd\" must be a string");
        }
        Object profile = r.fields().get("profile");
        if (profile != null && !(profile instanceof String)) {
            throw invalid("\"profile\" must be the name of a built-in sandbox profile");
        }
        SpawnRequest request = new SpawnRequest(text(r, "name"), argv, workspace.existing(cwdText), env(r.fields().get("env")),
                !Boolean.FALSE.equals(r.fields().get("sandboxed")), (String) profile, List.of(), List.of(),
                RestartPolicy.parse(r.fields().get("restart")), r.fields().get("limits"));
        return Frame.of(r.id(), "process_spawned").with("process", spawn(request).describe());
    }

    /** What to spawn: from a {@code spawn_process} request, or from a program spec. */
    record SpawnRequest(String name, List<String> argv, Path cwd, Map<String, String> env, boolean sandboxed,
            String profile, List<Path> readOnly, List<Path> writable, RestartPolicy restart, Object limits,
            java.util.function.Consumer<String> stdout) {

        SpawnRequest(String name, List<String> argv, Path cwd, Map<String, String> env, boolean sandboxed, String profile,
                List<Path> readOnly, List<Path> writable, RestartPolicy restart, Object limits) {
            this(name, argv, cwd, env, sandboxed, profile, readOnly, writable, restart, limits, null);
        }
    }

    /** For other runner bundles: launched like any spawn (sandboxed, limited, listed), stdout to the caller. */
    LaunchedProcess launch(LaunchRequest r) throws LaunchException {
        try {
            return launch(new SpawnRequest(r.name(), r.argv(), workspace.existing(r.cwd()), r.env(), true, null,
                    r.readOnly(), List.of(), RestartPolicy.NEVER, null, r.stdout()));
        } catch (ProtocolException e) {
            throw new LaunchException(e.code(), e.getMessage());
        }
    }

    LaunchedProcess launch(SpawnRequest request) throws LaunchException {
        try {
            return new Launched(spawn(request));
        } catch (ProtocolException e) {
            throw new LaunchException(e.code(), e.getMessage());
        } catch (IOException e) {
            throw new LaunchException(ErrorCode.SPAWN_FAILED, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    /** A managed process as other bundles see it. */
    private record Launched(ManagedProcess p) implements LaunchedProcess {
        @Override
        public long pid() {
            return p.pid();
        }

        @Override
        public List<String> command() {
            return p.command();
        }

        @Override
        public void writeLine(String line) throws IOException {
            p.writeStdin((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public java.util.concurrent.CompletionStage<Integer> exited() {
            return p.finished().copy();
        }

        @Override
        public void stop(long graceMs) throws InterruptedException {
            p.stop(graceMs);
        }

        @Override
        public List<String> stderrTail(int lines) {
            return p.output().tail(lines);
        }
    }

    /** Spawns a process (sandboxed unless asked otherwise, always under limits) and tracks it by name. */
    ManagedProcess spawn(SpawnRequest request) throws ProtocolException, IOException, InterruptedException {
        String id = request.name();
        if (!ID.matcher(id).matches()) {
            throw invalid("\"name\" must be 1-64 letters, digits, . _ - (starting with a letter or digit)");
        }
        List<String> argv = request.argv();
        Path cwd = request.cwd();
        boolean sandboxed = request.sandboxed();
        Settings current = settings;
        Limits limits = Limits.parse(request.limits(), current.ceiling());
        if (current.enforcer() == null) {
            throw new ProtocolException(ErrorCode.SPAWN_FAILED, "not spawned: " + current.problem(), null);
        }
        List<String> command;
        if (!sandboxed && request.profile() != null) {
            throw invalid("\"profile\" needs \"sandboxed\": true");
        }
        // The program's variables reach it through the loader, inside the sandbox; never through the wrappers.
        List<String> loaded = EnvironmentHandoff.behindLoader(argv);
        try {
            command = sandboxed ? sandbox.command(cwd, loaded, request.readOnly(), request.writable(), request.profile())
                    : sandbox.supervised(loaded);
        } catch (SandboxUnavailableException e) {
            throw new ProtocolException(ErrorCode.SANDBOX_ERROR, "not spawned: " + e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(EnvironmentHandoff.forWrappers(System.getenv()));
        Map<String, String> env = EnvironmentHandoff.forProgram(System.getenv(), request.env());
        String program = argv.get(0);
        Executables.resolve(program.contains("/") ? cwd.resolve(program).toString() : program,
                env.getOrDefault("PATH", "/usr/bin:/bin"));
        Spec spec = new Spec(id, argv, command, env, sandboxed, request.restart(), limits, current.enforcer(), request.stdout());
        synchronized (processes) {
            if (processes.containsKey(id) && processes.get(id).running()) {
                throw new ProtocolException(ErrorCode.PROCESS_EXISTS, "a process named " + id + " is running", null);
            }
            ManagedProcess mp;
            try {
                mp = start(spec, pb, new OutputBuffer(current.outputLines()), 0);
            } catch (IOException e) {
                throw new ProtocolException(ErrorCode.SPAWN_FAILED, "cannot start " + argv.get(0) + ": " + e.getMessage(), null);
            }
            LOG.info("spawned {} (pid {}){} under {}: {}", id, mp.pid(), sandboxed ? " sandboxed" : "",
                    spec.enforcer().mechanism(), argv);
            return mp;
        }
    }

    /** The process of that name, or null. */
    ManagedProcess process(String name) {
        return processes.get(name);
    }

    /** Starts the process of {@code spec} under its limits and tracks it. */
    private ManagedProcess start(Spec spec, ProcessBuilder pb, OutputBuffer output, int restarts)
            throws IOException, InterruptedException {
        Path envFile = handoff.write(spec.env());
        LimitEnforcer.Applied applied = null;
        Process p;
        try {
            applied = spec.enforcer().apply(spec.name() + "-" + spawns.incrementAndGet(), spec.limits(),
                    EnvironmentHandoff.behindOpener(envFile, spec.command()));
            p = launcher.start(pb.command(applied.command()));
        } catch (IOException | RuntimeException e) {
            if (applied != null) {
                applied.release().run();
            }
            deleteQuietly(envFile);
            throw e;
        }
        ManagedProcess mp = new ManagedProcess(spec, applied.command(), p, output, restarts);
        mp.onExit().thenRun(() -> deleteQuietly(envFile));
        // Off the JDK's process-reaper thread: removing a cgroup may wait for its last task to be reaped.
        mp.onExit().thenRunAsync(applied.release());
        track(mp, pb);
        return mp;
    }

    /** Registers the process and, under an on-failure policy, restarts it when it fails. */
    private void track(ManagedProcess mp, ProcessBuilder pb) {
        processes.put(mp.id(), mp);
        // After the last output line: the "[oqto] exited" note then follows the run it is about.
        mp.finished().thenAccept(code -> mp.restarting().complete(afterExit(mp, code, pb)));
    }

    /** Decides what follows an exit, schedules a restart if one is due, and says whether it did. */
    private boolean afterExit(ManagedProcess mp, int code, ProcessBuilder pb) {
        if (!active || processes.get(mp.id()) != mp) {
            return false;
        }
        if (mp.stopRequested()) {
            if (mp.restart().restarts(code, mp.restarts())) {
                skippedRestarts.incrementAndGet();
            }
            return false;
        }
        if (!mp.restart().restarts(code, mp.restarts())) {
            if (mp.restart().onFailure() && code != 0) {
                mp.output().add("stderr", "[oqto] exited with " + code + "; no restarts left");
            }
            return false;
        }
        long delay = mp.restart().delayBefore(mp.restarts());
        LOG.warn("{} exited with {}; restart {} of {} in {} ms", mp.id(), code, mp.restarts() + 1, mp.restart().max(), delay);
        mp.output().add("stderr", "[oqto] exited with " + code + "; restarting in " + delay + " ms");
        restarter.schedule(() -> respawn(mp, pb), delay, TimeUnit.MILLISECONDS);
        return true;
    }

    private void respawn(ManagedProcess old, ProcessBuilder pb) {
        synchronized (processes) {
            if (!active || old.stopRequested() || processes.get(old.id()) != old) {
                skippedRestarts.incrementAndGet();
                return;
            }
            try {
                start(old.spec(), pb, old.output(), old.restarts() + 1);
            } catch (IOException e) {
                old.output().add("stderr", "[oqto] restart failed: " + e.getMessage());
                LOG.error("restarting {} failed: {}", old.id(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Frame list(Frame r) {
        List<Map<String, Object>> all = new ArrayList<>();
        processes.values().stream().sorted(java.util.Comparator.comparing(ManagedProcess::id))
                .forEach(p -> all.add(p.describe()));
        return Frame.of(r.id(), "process_list").with("processes", all).with("limits", limitsReport())
                .with("subscriptions", feeds.get());
    }

    private Frame read(Frame r) throws ProtocolException {
        ManagedProcess p = get(r);
        long after = r.number("after", 0);
        int max = (int) Math.min(Math.max(r.number("max", 1000), 1), 5000);
        SequencedBuffer.Slice<OutputBuffer.Line> s = p.output().after(after, max);
        return Frame.of(r.id(), "output").with("lines", OutputBuffer.wire(s.items())).with("next", s.next()).with("dropped", s.missed())
                .with("running", p.running()).with("exit_code", p.exitCode());
    }

    private Frame signal(Frame r) throws ProtocolException, IOException, InterruptedException {
        String sig = text(r, "signal");
        if (!SIGNALS.contains(sig)) {
            throw invalid("\"signal\" must be one of " + new java.util.TreeSet<>(SIGNALS));
        }
        get(r).signal(sig);
        return Frame.of(r.id(), "signal_sent");
    }

    private Frame stop(Frame r) throws ProtocolException, InterruptedException {
        ManagedProcess p = get(r);
        long grace = Math.min(Math.max(r.number("grace_ms", 5000), 0), 60_000);
        boolean killed = p.stop(grace);
        return Frame.of(r.id(), "process_stopped").with("killed", killed).with("exit_code", p.exitCode());
    }

    private ManagedProcess get(Frame r) throws ProtocolException {
        String id = text(r, "name");
        ManagedProcess p = processes.get(id);
        if (p == null) {
            throw new ProtocolException(ErrorCode.PROCESS_NOT_FOUND, "no process named " + id, null);
        }
        return p;
    }

    private static String text(Frame r, String key) throws ProtocolException {
        if (!(r.fields().get(key) instanceof String s)) {
            throw invalid("\"" + key + "\" is required and must be a string");
        }
        return s;
    }

    private static List<String> strings(Object value, String key) throws ProtocolException {
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw invalid("\"" + key + "\" must be an array of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static Map<String, String> env(Object value) throws ProtocolException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw invalid("\"env\" must be an object of strings");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            EnvironmentHandoff.check(String.valueOf(e.getKey()), e.getValue());
            env.put((String) e.getKey(), (String) e.getValue());
        }
        return env;
    }

    private static void deleteQuietly(Path file) {
        try {
            java.nio.file.Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, message, null);
    }
}
