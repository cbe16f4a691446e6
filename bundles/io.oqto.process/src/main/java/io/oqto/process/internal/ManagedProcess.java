package io.oqto.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One spawned process: its handle, its numbered output (stdout and stderr, line by line, one pump
 * thread each) and, once it has ended, its exit status. {@code java.lang.Process} stays in here.
 */
final class ManagedProcess {

    private final Spec spec;
    private final Process process;
    private final Instant startedAt = Instant.now();
    private final OutputBuffer output;

    /** What was executed: the sandbox's command inside the limits mechanism's wrapper. */
    private final List<String> executed;

    private final int restarts;
    private volatile boolean stopRequested;
    /** Completes with the exit code once the process has exited and both pumps have finished. */
    private final CompletableFuture<Integer> finished = new CompletableFuture<>();

    private final AtomicInteger pumpsLeft = new AtomicInteger(2);
    /** Completed once it is decided what follows the exit: true when a restart is scheduled. */
    private final CompletableFuture<Boolean> restarting = new CompletableFuture<>();

    ManagedProcess(Spec spec, List<String> executed, Process process, OutputBuffer output, int restarts) {
        this.spec = spec;
        this.executed = List.copyOf(executed);
        this.process = process;
        this.restarts = restarts;
        this.output = output;
        pump("stdout", process.getInputStream());
        pump("stderr", process.getErrorStream());
    }

    static final int MAX_LINE_BYTES = 8 << 20;

    @SuppressWarnings("ReferenceEquality") // LineReader.TOO_LONG is a sentinel, compared by identity on purpose
    private void pump(String stream, InputStream in) {
        Consumer<String> sink = stream.equals("stdout") && spec.stdout() != null ? spec.stdout() : null;
        Thread t = new Thread(
                () -> {
                    try (in) {
                        LineReader r = new LineReader(in, MAX_LINE_BYTES);
                        for (String line = r.next(); line != null; line = r.next()) {
                            if (line == LineReader.TOO_LONG) {
                                output.add(
                                        "stderr",
                                        "[oqto] a " + stream + " line over " + MAX_LINE_BYTES + " bytes was dropped");
                            } else if (sink != null) {
                                deliver(sink, line);
                            } else {
                                output.add(stream, line);
                            }
                        }
                    } catch (IOException e) {
                        // the process went away
                    } finally {
                        pumpDone();
                    }
                },
                "oqto-process-" + stream + " " + spec.name());
        t.setDaemon(true);
        t.start();
    }

    private void deliver(Consumer<String> sink, String line) {
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            output.add("stderr", "[oqto] the reader of stdout failed: " + e);
        }
    }

    private void pumpDone() {
        if (pumpsLeft.decrementAndGet() == 0) {
            CompletableFuture<Void> unused = process.onExit().thenAccept(p -> finished.complete(p.exitValue()));
        }
    }

    CompletableFuture<Integer> finished() {
        return finished;
    }

    String id() {
        return spec.name();
    }

    Spec spec() {
        return spec;
    }

    List<String> command() {
        return executed;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Running until the process has exited <em>and</em> its output has been read to the end, so a client
     * that sees {@code running: false} has every line.
     */
    boolean running() {
        return !finished.isDone();
    }

    OutputBuffer output() {
        return output;
    }

    RestartPolicy restart() {
        return spec.restart();
    }

    int restarts() {
        return restarts;
    }

    CompletableFuture<Boolean> restarting() {
        return restarting;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** Completes when the process has exited (on a JDK thread). */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    int writeStdin(byte[] data) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(data);
        in.flush();
        return data.length;
    }

    /** Sends a signal by name to the process (not its children). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -s " + name + " " + process.pid() + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        }
    }

    /**
     * SIGTERM to the whole tree, then SIGKILL to whatever is left after {@code graceMs}. Returns whether
     * the process had to be killed.
     */
    boolean stop(long graceMs) throws InterruptedException {
        stopRequested = true;
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        boolean killed = false;
        if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
            killed = true;
        }
        // Descendants may outlive a parent that exited on SIGTERM: they get SIGKILL too.
        for (ProcessHandle h : process.descendants().toList()) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : tree) {
            h.destroyForcibly();
        }
        if (killed) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        try {
            finished.get(2000, TimeUnit.MILLISECONDS); // every output line read, the exit status known
        } catch (ExecutionException | TimeoutException e) {
            // a grandchild still holds the output open; it was killed above and the pumps end with it
        }
        return killed;
    }

    /** The signal that ended the process, by name, or null (from the shell's 128 + n convention). */
    @Nullable
    String exitSignal() {
        Integer code = exitCode();
        return code == null || code <= 128 || code > 128 + 64 ? null : Signals.name(code - 128);
    }

    /** Exit code, or 128 + signal number for a process ended by a signal (the shell's convention). */
    @Nullable
    Integer exitCode() {
        return running() ? null : process.exitValue();
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", spec.name());
        m.put("pid", process.pid());
        m.put("running", running());
        m.put("exit_code", exitCode());
        m.put("exit_signal", exitSignal());
        m.put("started_at", startedAt.toString());
        m.put("argv", spec.argv());
        m.put("sandboxed", spec.sandboxed());
        m.put("restart", spec.restart().describe());
        m.put("restarts", restarts);
        Map<String, Object> limits = new LinkedHashMap<>(spec.limits().describe());
        limits.put("mechanism", spec.enforcer().mechanism());
        m.put("limits", limits);
        // What was actually executed (the limits and bubblewrap wrappers included): explains what was done.
        m.put("command", executed);
        return m;
    }
}
