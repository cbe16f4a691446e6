package io.oqto.usermgr;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One user service the helper runs itself (no systemd): started as the user with {@code setpriv}, its
 * output copied to the helper's log with a {@code user/service:} prefix, restarted when it exits with a
 * growing pause (1 s, doubling up to 30 s, back to 1 s after a run of 30 s), stopped with SIGTERM and,
 * after a grace period, SIGKILL.
 */
final class SupervisedService implements UserService {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final String label;
    private final ProcessBuilder builder;
    private final PrintStream log;
    private final Object lock = new Object();
    private @Nullable Process process;
    private boolean stopping;
    private int restarts;
    private String lastExit = "";
    private @Nullable Thread thread;

    SupervisedService(String label, ProcessBuilder builder, PrintStream log) {
        this.label = label;
        this.builder =
                builder.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        this.log = log;
    }

    /** Starts the first run; returns once it is exec'd (or failed to be). */
    void start() throws IOException {
        Process first = builder.start();
        synchronized (lock) {
            process = first;
        }
        Thread t = new Thread(() -> supervise(first), "usermgr " + label);
        thread = t;
        t.start();
    }

    boolean running() {
        synchronized (lock) {
            return process != null && process.isAlive();
        }
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        synchronized (lock) {
            Process p = process;
            boolean alive = p != null && p.isAlive();
            m.put("state", alive ? "running" : stopping ? "stopped" : "restarting");
            m.put("pid", p != null && alive ? p.pid() : null);
            m.put("restarts", restarts);
            m.put("last_exit", lastExit);
        }
        return m;
    }

    private void supervise(Process first) {
        Process p = first;
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            long started = System.nanoTime();
            if (p != null) {
                copyOutput(p, label, log, line -> {});
                int code = waitFor(p);
                synchronized (lock) {
                    lastExit = code > 128 ? "signal " + (code - 128) : "code " + code;
                }
            }
            synchronized (lock) {
                if (stopping) {
                    return;
                }
                if (Duration.ofNanos(System.nanoTime() - started).compareTo(MAX_BACKOFF) >= 0) {
                    backoff = FIRST_BACKOFF;
                }
                log.println(label + ": exited with " + lastExit + "; restarting in " + backoff.toMillis() + " ms");
                try {
                    lock.wait(backoff.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                if (stopping) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                try {
                    p = builder.start();
                    process = p;
                    restarts++;
                } catch (IOException e) {
                    p = null;
                    lastExit = "not started: " + e.getMessage();
                }
            }
        }
    }

    /** SIGTERM, then SIGKILL after the grace period; returns once the supervising thread has ended. */
    @Override
    public void stop() {
        Process p;
        synchronized (lock) {
            stopping = true;
            p = process;
            lock.notifyAll();
        }
        if (p != null && p.isAlive()) {
            terminate(p, label, log);
        }
        try {
            Thread t = thread;
            if (t != null) {
                t.join(STOP_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL after the grace period. */
    static void terminate(Process p, String label, PrintStream log) {
        p.destroy();
        try {
            if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.println(label + ": did not stop within " + STOP_GRACE.toSeconds() + " s of SIGTERM; killing it");
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The exit code, however often the waiting thread is interrupted: only ending the process ends the wait. */
    static int waitFor(Process p) {
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // keep supervising: only stop() ends this thread, by ending the process
            }
        }
    }

    /** Output goes to the helper's log line by line until the process closes it; returns the copying thread. */
    static Thread copyOutput(Process p, String label, PrintStream log, java.util.function.Consumer<String> lines) {
        Thread pump = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            log.println(label + ": " + line);
                            lines.accept(line);
                        }
                    } catch (IOException e) {
                        // the process is gone
                    }
                },
                "usermgr output " + label);
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    static List<String> asUser(Account a, List<String> argv) {
        List<String> full = new ArrayList<>(List.of(
                Bin.SETPRIV, "--reuid=" + a.uid(), "--regid=" + a.gid(), "--init-groups", "--inh-caps=-all", "--"));
        full.addAll(argv);
        return full;
    }
}
