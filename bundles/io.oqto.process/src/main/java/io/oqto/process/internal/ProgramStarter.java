package io.oqto.process.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.api.unix.Home;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.RunnerOperation;
import io.oqto.runner.spi.WorkspacePaths;
import io.oqto.runner.spi.process.LaunchException;
import io.oqto.runner.spi.process.LaunchRequest;
import io.oqto.runner.spi.process.LaunchedProcess;
import io.oqto.runner.spi.process.ProcessLauncher;
import io.oqto.runner.spi.process.ServingProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code start_program}: starts {@code pi}, {@code fileserver} or {@code ttyd} from its spec (see
 * {@link Programs}), always sandboxed, and answers only once the program is ready, or with the reason it
 * is not (it exited, or did not answer in time; then it is stopped).
 */
@Component(
        service = {RunnerOperation.class, ProcessLauncher.class},
        configurationPid = "oqto.programs",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProgramConfig.class)
public final class ProgramStarter implements RunnerOperation, ProcessLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ProgramStarter.class);

    private final ProcessSpawner processes;
    private final WorkspacePaths workspace;
    private final @Nullable Path runtimeDir;
    private volatile ProgramConfig config;

    @Activate
    public ProgramStarter(
            @Reference ProcessSpawner processes, @Reference WorkspacePaths workspace, ProgramConfig config)
            throws IOException {
        this(processes, workspace, config, runtimeDir());
    }

    ProgramStarter(
            ProcessSpawner processes, WorkspacePaths workspace, ProgramConfig config, @Nullable Path runtimeDir) {
        this.processes = processes;
        this.workspace = workspace;
        this.config = config;
        this.runtimeDir = runtimeDir;
    }

    @Modified
    void modified(ProgramConfig changed) {
        this.config = changed;
    }

    @Override
    public LaunchedProcess launch(LaunchRequest request) throws LaunchException {
        try {
            return LaunchedAdapter.launch(
                    processes,
                    SpawnRequest.builder(request.name(), request.argv(), workspace.existing(request.cwd()))
                            .env(request.env())
                            .mounts(request.readOnly(), List.of())
                            .stdout(request.stdout())
                            .build());
        } catch (ProtocolException e) {
            throw new LaunchException(e.code(), e.getMessage());
        }
    }

    @Override
    public LaunchedProcess launchProgram(
            String program,
            String name,
            List<String> args,
            String cwd,
            Map<String, String> env,
            Consumer<String> stdout)
            throws LaunchException {
        try {
            ProgramPlan plan = programs(config).plan(program, name, args, workspace.existing(cwd), workspace.root());
            Map<String, String> allEnv = new HashMap<>(plan.env());
            allEnv.putAll(env);
            return LaunchedAdapter.launch(
                    processes,
                    SpawnRequest.builder(name, plan.argv(), plan.cwd())
                            .env(allEnv)
                            .mounts(plan.readOnly(), plan.writable())
                            .stdout(stdout)
                            .build());
        } catch (ProtocolException e) {
            throw new LaunchException(e.code(), e.getMessage());
        } catch (IOException e) {
            throw new LaunchException(ErrorCode.SPAWN_FAILED, "program " + program + ": " + e.getMessage());
        }
    }

    private Programs programs(ProgramConfig current) {
        return new Programs(
                current, Home.current(), runnerHome(), runtimeDir, Path.of(System.getProperty("java.home")));
    }

    @Override
    public Set<String> types() {
        return Set.of("start_program");
    }

    @Override
    public Frame handle(Frame r) throws ProtocolException {
        if (!(r.fields().get("program") instanceof String program)) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST, "\"program\" is required: one of " + Programs.NAMES, null);
        }
        Object nameField = r.fields().getOrDefault("name", program);
        Object argsField = r.fields().getOrDefault("args", List.of());
        Object cwdField = r.fields().getOrDefault("cwd", ".");
        if (!(nameField instanceof String name)
                || !(cwdField instanceof String cwd)
                || !(argsField instanceof List<?> args)
                || !args.stream().allMatch(String.class::isInstance)) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST,
                    "\"name\" and \"cwd\" must be strings, \"args\" an array of strings",
                    null);
        }
        Ready started =
                startReady(program, name, args.stream().map(String.class::cast).toList(), cwd);
        return Frame.of(r.id(), "program_started")
                .with("process", started.process().describe())
                .with(
                        "socket",
                        started.plan().socket() == null
                                ? null
                                : started.plan().socket().toString())
                .with("ready_ms", started.readyMs());
    }

    @Override
    public ServingProgram startServing(String program, String name, List<String> args, String cwd)
            throws LaunchException {
        try {
            Ready started = startReady(program, name, args, cwd);
            Path socket = started.plan().socket();
            if (socket == null) {
                started.process().stop(2000);
                throw new LaunchException(ErrorCode.INVALID_REQUEST, "program " + program + " serves no socket");
            }
            return new ServingProgram(
                    new LaunchedAdapter(started.process()),
                    socket,
                    Path.of(started.plan().argv().get(0)).getFileName().toString(),
                    started.readyMs());
        } catch (ProtocolException e) {
            throw new LaunchException(e.code(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    /** A started program, ready, with its plan. */
    private record Ready(ManagedProcess process, ProgramPlan plan, long readyMs) {}

    private Ready startReady(String program, String name, List<String> args, String cwd) throws ProtocolException {
        ProgramConfig current = config;
        try {
            ProgramPlan plan = programs(current).plan(program, name, args, workspace.existing(cwd), workspace.root());
            ManagedProcess p = processes.spawn(SpawnRequest.builder(name, plan.argv(), plan.cwd())
                    .env(plan.env())
                    .mounts(plan.readOnly(), plan.writable())
                    .build());
            long started = System.nanoTime();
            awaitReady(program, p, plan.readiness(), current.readyTimeoutMs());
            long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            LOG.info("program {} ({}) ready in {} ms", name, program, readyMs);
            return new Ready(p, plan, readyMs);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.SPAWN_FAILED, "program " + program + ": " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProtocolException(ErrorCode.INTERNAL, "interrupted", null);
        }
    }

    /** Polls readiness until it holds; a program that exits or runs out of time fails with its last output. */
    private static void awaitReady(String program, ManagedProcess p, Readiness readiness, long timeoutMs)
            throws ProtocolException, IOException, InterruptedException {
        readiness.begin(p);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!readiness.ready(p)) {
            if (!p.running()) {
                throw new ProtocolException(
                        ErrorCode.SPAWN_FAILED,
                        "program " + program + " exited with code " + p.exitCode() + " before it was ready"
                                + lastOutput(p),
                        null);
            }
            if (System.nanoTime() > deadline) {
                p.stop(2000);
                throw new ProtocolException(
                        ErrorCode.SPAWN_FAILED,
                        "program " + program + " was not ready within " + timeoutMs + " ms (waited for "
                                + readiness.describe() + "); stopped it" + lastOutput(p),
                        null);
            }
            Thread.sleep(10);
        }
    }

    private static String lastOutput(ManagedProcess p) {
        String tail = String.join(" | ", p.output().tail(5));
        return tail.isEmpty() ? "" : "; last output: " + tail;
    }

    private static @Nullable Path runnerHome() {
        String home = System.getProperty("karaf.home");
        return home == null ? null : Path.of(home);
    }

    /** {@code $XDG_RUNTIME_DIR}, else {@code /run/user/<uid>} if it exists. */
    static @Nullable Path runtimeDir() throws IOException {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg);
        }
        Path run = Path.of(
                "/run/user",
                Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
        return Files.isDirectory(run) ? run : null;
    }
}
