package io.oqto.agent.internal;

import io.oqto.runner.spi.process.LaunchException;
import io.oqto.runner.spi.process.LaunchRequest;
import io.oqto.runner.spi.process.LaunchedProcess;
import io.oqto.runner.spi.process.ProcessLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Launches the real pi directly, without sandbox or limits (the process bundle's business, tested there and
 * in the system test), with its agent directory pointed at a test folder.
 */
class DirectLauncher implements ProcessLauncher {

    static Path pi() {
        Path p = Path.of(System.getProperty("oqto.pi", ".tools/pi/node_modules/.bin/pi"));
        if (!Files.isExecutable(p)) {
            throw new AssertionError("pi is not installed at " + p + "; scripts/install-test-deps installs it");
        }
        return p;
    }

    private final Path workspace;
    private final Path agentDir;
    final List<Process> started = new CopyOnWriteArrayList<>();
    volatile String refuse;

    DirectLauncher(Path workspace, Path agentDir) {
        this.workspace = workspace;
        this.agentDir = agentDir;
    }

    @Override
    public LaunchedProcess launch(LaunchRequest request) {
        throw new UnsupportedOperationException();
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
        if (refuse != null) {
            throw new LaunchException(io.oqto.api.runner.ErrorCode.SPAWN_FAILED, refuse);
        }
        return launchWith(pi().toString(), args, cwd, env, stdout);
    }

    /** Starts {@code program --mode rpc args} in the workspace. */
    LaunchedProcess launchWith(
            String program, List<String> args, String cwd, Map<String, String> env, Consumer<String> stdout)
            throws LaunchException {
        List<String> argv = new ArrayList<>(List.of(program, "--mode", "rpc"));
        argv.addAll(args);
        ProcessBuilder pb =
                new ProcessBuilder(argv).directory(workspace.resolve(cwd).toFile());
        pb.environment().put("PI_CODING_AGENT_DIR", agentDir.toString());
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new LaunchException(io.oqto.api.runner.ErrorCode.SPAWN_FAILED, e.getMessage());
        }
        started.add(p);
        List<String> stderr = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread out = pump(p, true, stdout, stderr);
        Thread err = pump(p, false, stdout, stderr);
        Thread waiter = new Thread(() -> {
            try {
                out.join();
                err.join();
                done.complete(p.waitFor());
            } catch (InterruptedException e) {
                done.completeExceptionally(e);
            }
        });
        waiter.setDaemon(true);
        waiter.start();
        return new LaunchedProcess() {
            @Override
            public long pid() {
                return p.pid();
            }

            @Override
            public List<String> command() {
                return argv;
            }

            @Override
            public void writeLine(String line) throws IOException {
                p.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
            }

            @Override
            public CompletionStage<Integer> exited() {
                return done.copy();
            }

            @Override
            public void stop(long graceMs) throws InterruptedException {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                if (!p.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                }
            }

            @Override
            public List<String> stderrTail(int lines) {
                return stderr.subList(Math.max(0, stderr.size() - lines), stderr.size());
            }
        };
    }

    private static Thread pump(Process p, boolean isStdout, Consumer<String> stdout, List<String> stderr) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    isStdout ? p.getInputStream() : p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (isStdout) {
                        stdout.accept(line);
                    } else {
                        stderr.add(line);
                    }
                }
            } catch (IOException e) {
                // gone
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    void killAll() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    @Override
    public io.oqto.runner.spi.process.ServingProgram startServing(
            String program, String name, List<String> args, String cwd) {
        throw new AssertionError("agent sessions start no serving program");
    }
}
