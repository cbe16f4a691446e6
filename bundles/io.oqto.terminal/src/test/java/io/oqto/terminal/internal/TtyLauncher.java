package io.oqto.terminal.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.spi.process.LaunchException;
import io.oqto.runner.spi.process.LaunchRequest;
import io.oqto.runner.spi.process.LaunchedProcess;
import io.oqto.runner.spi.process.ProcessLauncher;
import io.oqto.runner.spi.process.ServingProgram;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts the real oqto-tty from the test class path, unsandboxed (the sandbox and the program lookup are
 * io.oqto.process's, tested there): {@code oqto-tty --interface SOCKET --writable --cwd DIR --once bash}, ready when
 * {@code GET /} answers.
 */
final class TtyLauncher implements ProcessLauncher {

    final List<Process> started = new CopyOnWriteArrayList<>();
    private final Path workspace;
    private final Path sockets;

    TtyLauncher(Path workspace, Path sockets) {
        this.workspace = workspace;
        this.sockets = sockets;
    }

    @Override
    public ServingProgram startServing(String program, String name, List<String> args, String cwd)
            throws LaunchException {
        if (!program.equals("ttyd") || !args.equals(List.of("--once"))) {
            throw new AssertionError("terminals start ttyd --once, not " + program + " " + args);
        }
        Path socket = sockets.resolve(name + ".sock");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.oqto.tty.TerminalServer",
                "--interface",
                socket.toString(),
                "--writable",
                "--cwd",
                workspace.resolve(cwd).normalize().toString(),
                "--once",
                "/bin/bash",
                "--norc",
                "--noprofile"));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(sockets.resolve(name + ".log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("PS1", "$ ");
            long t0 = System.nanoTime();
            Process p = pb.start();
            started.add(p);
            while (!answers(socket)) {
                if (!p.isAlive() || System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                    p.destroyForcibly();
                    throw new LaunchException(ErrorCode.SPAWN_FAILED, "oqto-tty did not start");
                }
                Thread.sleep(20);
            }
            return new ServingProgram(
                    adapter(p, cmd), socket, "oqto-tty", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new LaunchException(ErrorCode.SPAWN_FAILED, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    private static boolean answers(Path socket) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.allocate(16);
            c.read(b);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static LaunchedProcess adapter(Process p, List<String> cmd) {
        return new LaunchedProcess() {
            @Override
            public long pid() {
                return p.pid();
            }

            @Override
            public List<String> command() {
                return cmd;
            }

            @Override
            public void writeLine(String line) {
                throw new AssertionError("terminals write nothing to stdin");
            }

            @Override
            public CompletionStage<Integer> exited() {
                return p.onExit().thenApply(Process::exitValue);
            }

            @Override
            public void stop(long graceMs) throws InterruptedException {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                if (!p.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor();
                }
            }

            @Override
            public List<String> stderrTail(int lines) {
                return List.of();
            }
        };
    }

    @Override
    public LaunchedProcess launch(LaunchRequest request) {
        throw new AssertionError("terminals launch only serving programs");
    }

    @Override
    public LaunchedProcess launchProgram(
            String program,
            String name,
            List<String> args,
            String cwd,
            Map<String, String> env,
            Consumer<String> stdout) {
        throw new AssertionError("terminals launch only serving programs");
    }
}
