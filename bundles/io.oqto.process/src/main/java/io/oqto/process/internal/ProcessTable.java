package io.oqto.process.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.process.internal.limits.LimitEnforcer;
import io.oqto.process.internal.limits.LimitEnforcers;
import io.oqto.process.internal.limits.Limits;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.sandbox.SandboxService;
import io.oqto.runner.spi.sandbox.SandboxUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's processes by caller-chosen name: spawned in the sandbox (unless asked otherwise) under the
 * configured limits, tracked, restarted by their policy ({@link RestartScheduler}), all stopped on
 * {@link #close()}. A process that crashes is just recorded as exited. Plain Java: {@link ProcessComponent}
 * publishes it.
 */
final class ProcessTable implements ProcessSpawner, AutoCloseable {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTable.class);

    private final SandboxService sandbox;
    private final LimitEnforcers.Host host;
    private final Map<String, ManagedProcess> processes = new ConcurrentHashMap<>();
    private final RestartScheduler restarts = new RestartScheduler();
    private final Launcher launcher = new Launcher();
    /** Where each spawn's environment waits for its program. */
    private final EnvironmentHandoff handoff;

    private final AtomicLong spawns = new AtomicLong();
    private volatile Settings settings;
    private volatile boolean active = true;

    /** The configured ceilings and the way they are enforced, or why limits cannot be enforced. */
    private record Settings(
            Limits ceiling,
            @Nullable LimitEnforcer enforcer,
            @Nullable String problem,
            int outputLines) {}

    ProcessTable(SandboxService sandbox, ProcessConfig config, LimitEnforcers.Host host) {
        this.sandbox = sandbox;
        this.host = host;
        try {
            this.handoff = new EnvironmentHandoff(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the spawn environment directory: " + e.getMessage(), e);
        }
        configure(config);
    }

    /** A config edit changes limits for later spawns; running processes carry on. */
    void configure(ProcessConfig config) {
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

    /** Stops every process; nothing is restarted or spawned afterwards. */
    @Override
    public void close() {
        active = false;
        restarts.close();
        for (ManagedProcess p : processes.values()) {
            try {
                p.stop(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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

    /** The process of that name, or null. */
    @Nullable
    ManagedProcess process(String name) {
        return processes.get(name);
    }

    /** Processes running now (ended ones stay listed until removed). */
    long running() {
        return processes.values().stream().filter(ManagedProcess::running).count();
    }

    /** Every process, by name. */
    List<ManagedProcess> all() {
        return processes.values().stream()
                .sorted(Comparator.comparing(ManagedProcess::id))
                .toList();
    }

    /** Restarts that were due but not done because the process was stopped meanwhile (seen by tests). */
    int skippedRestarts() {
        return restarts.skipped.get();
    }

    /** Spawns a process (sandboxed unless asked otherwise, always under limits) and tracks it by name. */
    @Override
    public ManagedProcess spawn(SpawnRequest request) throws ProtocolException, IOException, InterruptedException {
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
            command = sandboxed
                    ? sandbox.command(cwd, loaded, request.readOnly(), request.writable(), request.profile())
                    : sandbox.supervised(loaded);
        } catch (SandboxUnavailableException e) {
            throw new ProtocolException(ErrorCode.SANDBOX_ERROR, "not spawned: " + e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            throw invalid(String.valueOf(e.getMessage()));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(EnvironmentHandoff.forWrappers(System.getenv()));
        Map<String, String> env = EnvironmentHandoff.forProgram(System.getenv(), request.env());
        String program = argv.get(0);
        Executables.resolve(
                program.contains("/") ? cwd.resolve(program).toString() : program,
                env.getOrDefault("PATH", "/usr/bin:/bin"));
        Spec spec = new Spec(
                id, argv, command, env, sandboxed, request.restart(), limits, current.enforcer(), request.stdout());
        synchronized (processes) {
            if (processes.containsKey(id) && processes.get(id).running()) {
                throw new ProtocolException(ErrorCode.PROCESS_EXISTS, "a process named " + id + " is running", null);
            }
            ManagedProcess mp;
            try {
                mp = start(spec, pb, new OutputBuffer(current.outputLines()), 0);
            } catch (IOException e) {
                throw new ProtocolException(
                        ErrorCode.SPAWN_FAILED, "cannot start " + argv.get(0) + ": " + e.getMessage(), null);
            }
            LOG.info(
                    "spawned {} (pid {}){} under {}: {}",
                    id,
                    mp.pid(),
                    sandboxed ? " sandboxed" : "",
                    spec.enforcer().mechanism(),
                    argv);
            return mp;
        }
    }

    /** Starts the process of {@code spec} under its limits and tracks it. */
    private ManagedProcess start(Spec spec, ProcessBuilder pb, OutputBuffer output, int restarts)
            throws IOException, InterruptedException {
        Path envFile = handoff.write(spec.env());
        LimitEnforcer.Applied applied = null;
        Process p;
        try {
            applied = spec.enforcer()
                    .apply(
                            spec.name() + "-" + spawns.incrementAndGet(),
                            spec.limits(),
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
        // Cleanup steps run whenever the process exits; nothing waits for them.
        CompletableFuture<Void> unused = mp.onExit().thenRun(() -> deleteQuietly(envFile));
        // Off the JDK's process-reaper thread: removing a cgroup may wait for its last task to be reaped.
        unused = mp.onExit().thenRunAsync(applied.release());
        track(mp, pb);
        return mp;
    }

    /** Registers the process and, under an on-failure policy, restarts it when it fails. */
    private void track(ManagedProcess mp, ProcessBuilder pb) {
        processes.put(mp.id(), mp);
        // After the last output line: the "[oqto] exited" note then follows the run it is about.
        CompletableFuture<Void> unused = mp.finished()
                .thenAccept(code -> mp.restarting()
                        .complete(active
                                && processes.get(mp.id()) == mp
                                && restarts.afterExit(mp, code, () -> respawn(mp, pb))));
    }

    private void respawn(ManagedProcess old, ProcessBuilder pb) {
        synchronized (processes) {
            if (!active || old.stopRequested() || processes.get(old.id()) != old) {
                restarts.skip();
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

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, message, null);
    }
}
