package io.oqto.usermgr;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A user's runner, started by the first connection to its socket ({@code [usermgr] runner_activation = "socket"}
 * under {@code supervise}; systemd does the same with {@code oqto-runner.socket}). The helper holds the listening
 * socket — at the runner's usual path, the user's, 0600, the control plane's ACL entry — for as long as the user's
 * services are started; no runner process exists until a client connects. The first connection is accepted here and
 * the runner started with it: on its hand-over socket the runner (checked to be that very process, as the user) gets
 * the listening socket and that connection, serves the connection (the client's peer credentials are its own) and
 * then accepts the rest, which waited in the backlog meanwhile. One runner however many connect at once.
 *
 * <p>A runner that exits 0 was idle ({@code [runner] idle_exit_seconds}): the socket is simply waited on again. One
 * that fails is started again by the next connection, after a pause that doubles from 1 s up to 30 s; a connection in
 * the pause gets a {@code runner_unavailable} error frame that says why.
 *
 * <p>Starts are paced: every user's runner takes a slot of {@code [usermgr] runner_starts_at_once} (shared, one per
 * core by default) from its start until it has taken its socket. Fifty JVMs started together on two cores all miss
 * their hand-over deadline and are retried, over and over; started a few at a time each is up in about a second.
 */
final class ActivatedRunner implements UserService {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(60);
    static final String HANDOVER_ENV = "OQTO_RUNNER_HANDOVER";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Account account;
    private final String label;
    private final ProcessBuilder builder;
    private final PrintStream log;
    private final Path socket;
    private final Path handover;
    private final AFUNIXServerSocket listening;
    private final Semaphore startSlots;
    private final Object lock = new Object();
    private final Thread thread;
    private volatile boolean stopping;
    private @Nullable Process process;
    private int starts;
    private String lastExit = "";
    private Duration backoff = FIRST_BACKOFF;
    private long retryAt;
    private volatile String lastLine = "";
    private @Nullable Thread output;

    /** Binds and secures the socket and starts waiting on it; no runner runs yet. */
    ActivatedRunner(
            Account account,
            Path socket,
            ProcessBuilder builder,
            RuntimeDirs dirs,
            Semaphore startSlots,
            PrintStream log)
            throws IOException {
        this.account = account;
        this.startSlots = startSlots;
        this.label = account.name() + "/" + Settings.RUNNER;
        this.socket = socket;
        this.handover = socket.resolveSibling("oqto-runner.handover");
        this.builder = builder.redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        this.builder.environment().put(HANDOVER_ENV, handover.toString());
        this.log = log;
        removeStale(socket);
        listening = AFUNIXServerSocket.newInstance();
        listening.bind(AFUNIXSocketAddress.of(socket), 128);
        try {
            ownedByTheUser(socket);
            dirs.grantSocket(socket);
            // accept() wakes every second: the runner sets the same timeout on this shared socket anyway.
            listening.setSoTimeout(1000);
        } catch (IOException | RuntimeException e) {
            listening.close();
            throw e;
        }
        thread = new Thread(this::serve, "usermgr activation " + label);
        thread.start();
    }

    private void serve() {
        while (!stopping) {
            AFUNIXSocket first;
            try {
                first = listening.accept();
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (!stopping) {
                    log.println(label + ": accept failed: " + e.getMessage());
                }
                continue;
            }
            if (first == null) {
                continue;
            }
            long wait;
            synchronized (lock) {
                wait = TimeUnit.NANOSECONDS.toMillis(retryAt - System.nanoTime());
            }
            if (wait > 0) {
                refuse(
                        first,
                        "the runner of " + account.name() + " failed to start (" + lastExit + "); trying again in "
                                + Math.max(1, wait / 1000) + " s");
                continue;
            }
            runWith(first);
        }
    }

    /** Waits for a start slot (false when the helper stops meanwhile), saying so when it had to wait. */
    private boolean takeStartSlot() {
        long since = System.nanoTime();
        try {
            while (!startSlots.tryAcquire(1, TimeUnit.SECONDS)) {
                if (stopping) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        if (waited >= 100) {
            log.println(label + ": waited " + waited + " ms for a start slot (other runners were starting)");
        }
        return true;
    }

    /** Starts the runner, hands it the socket and {@code first}, and waits until it exits. */
    private void runWith(AFUNIXSocket first) {
        if (!takeStartSlot()) {
            closeQuietly(first); // the helper stops
            return;
        }
        long started = System.nanoTime();
        Process p;
        try (AFUNIXServerSocket hand = AFUNIXServerSocket.newInstance()) {
            removeStale(handover);
            hand.bind(AFUNIXSocketAddress.of(handover), 1);
            ownedByTheUser(handover);
            hand.setSoTimeout(250); // to notice a runner that died before it connected
            p = builder.start();
            synchronized (lock) {
                process = p;
                starts++;
            }
            output = SupervisedService.copyOutput(p, label, log, line -> lastLine = line);
            log.println(label + ": started (pid " + p.pid() + ") by a connection");
            handOver(hand, p, first);
        } catch (IOException e) {
            Process failed;
            synchronized (lock) {
                failed = process;
            }
            if (failed != null) {
                failed.destroyForcibly();
            }
            failedToStart("not started: " + e.getMessage(), started);
            refuse(first, "the runner of " + account.name() + " did not start: " + e.getMessage());
            return;
        } finally {
            startSlots.release(); // it took its socket, or will not
            try {
                Files.deleteIfExists(handover);
            } catch (IOException e) {
                log.println(label + ": cannot remove " + handover + ": " + e.getMessage());
            }
        }
        int code = SupervisedService.waitFor(p);
        closeQuietly(first); // only now: closing our copy earlier would shut the connection down for the runner too
        synchronized (lock) {
            process = null;
            lastExit = code > 128 ? "signal " + (code - 128) : "code " + code;
            if (stopping) {
                log.println(label + ": stopped (" + lastExit + ")");
                return;
            }
            if (code == 0) {
                backoff = FIRST_BACKOFF;
                retryAt = 0;
                log.println(label + ": exited when idle; waiting for the next connection");
                return;
            }
        }
        failedToStart("exited with " + lastExit, started);
    }

    /** Waits for the runner (this very process, as the user) on the hand-over socket and gives it the sockets. */
    private void handOver(AFUNIXServerSocket hand, Process p, AFUNIXSocket first) throws IOException {
        long deadline = System.nanoTime() + HANDOVER_TIMEOUT.toNanos();
        while (true) {
            AFUNIXSocket runner;
            try {
                runner = hand.accept();
            } catch (SocketTimeoutException e) {
                if (!p.isAlive()) {
                    SupervisedService.waitFor(p);
                    Thread out = output;
                    if (out != null) {
                        try {
                            out.join(1000); // its last words, which say why
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    String last = lastLine;
                    throw new IOException("it exited with code " + p.exitValue() + " before taking its socket"
                            + (last.isEmpty() ? "" : ": " + last));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("it did not take its socket within " + HANDOVER_TIMEOUT.toSeconds() + " s");
                }
                continue;
            }
            if (runner == null) {
                continue;
            }
            try (runner) {
                var peer = runner.getPeerCredentials();
                if (peer.getUid() != account.uid() || peer.getPid() != p.pid()) {
                    log.println(label + ": refused a hand-over to uid " + peer.getUid() + ", pid " + peer.getPid()
                            + " (not the runner it started)");
                    continue;
                }
                runner.setOutboundFileDescriptors(listening.getFileDescriptor(), first.getFileDescriptor());
                OutputStream out = runner.getOutputStream();
                out.write('S');
                out.flush();
                return;
            }
        }
    }

    private void failedToStart(String why, long started) {
        synchronized (lock) {
            process = null;
            lastExit = why;
            if (Duration.ofNanos(System.nanoTime() - started).compareTo(MAX_BACKOFF) >= 0) {
                backoff = FIRST_BACKOFF; // it ran a good while: a crash, not a start that keeps failing
            }
            retryAt = System.nanoTime() + backoff.toNanos();
            log.println(label + ": " + why + "; the next connection starts it again in " + backoff.toMillis()
                    + " ms or later");
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
        }
    }

    /** An error frame in the runner protocol's form, which the control plane reports as runner_unavailable. */
    private void refuse(AFUNIXSocket s, String message) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("id", null);
        frame.put("type", "error");
        frame.put("code", "runner_unavailable");
        frame.put("message", message);
        try (s) {
            OutputStream out = s.getOutputStream();
            out.write((JSON.writeValueAsString(frame) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            // Take what the client sends (its hello) before closing: closed at once, its write would fail with a
            // broken pipe and it would never read the reason.
            s.setSoTimeout(2000);
            s.getInputStream().read(new byte[4096]);
        } catch (IOException e) {
            // the client went away first
        }
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        synchronized (lock) {
            Process p = process;
            boolean alive = p != null && p.isAlive();
            m.put("state", alive ? "running" : retryAt > System.nanoTime() ? "failed" : "waiting");
            m.put("pid", p != null && alive ? p.pid() : null);
            m.put("activation", "socket");
            m.put("starts", starts);
            m.put("last_exit", lastExit);
        }
        return m;
    }

    /** Closes the socket (removing its file), stops a running runner (SIGTERM, then SIGKILL) and the waiting thread. */
    @Override
    public void stop() {
        stopping = true;
        Process p;
        synchronized (lock) {
            p = process;
        }
        // The runner first, then the socket: closing it shuts it down for a runner still accepting on it.
        if (p != null && p.isAlive()) {
            SupervisedService.terminate(p, label, log);
        }
        try {
            listening.close();
        } catch (IOException e) {
            log.println(label + ": closing " + socket + ": " + e.getMessage());
        }
        try {
            thread.join(SupervisedService.STOP_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ownedByTheUser(Path p) throws IOException {
        Files.setAttribute(p, "unix:uid", account.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }

    /** A socket file left by an earlier runner or helper goes; anything else there is an error. */
    private static void removeStale(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (!(mode instanceof Integer m && (m & 0170000) == 0140000)) {
            throw new IOException(p + " exists and is not a socket; refusing to replace it");
        }
        Files.delete(p);
    }

    private static void closeQuietly(AFUNIXSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            // gone
        }
    }
}
