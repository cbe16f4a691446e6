package io.oqto.bench;

import io.oqto.api.runner.Handover;
import io.oqto.api.runner.terminals.ConnectTerminal;
import io.oqto.api.runner.terminals.CreateTerminal;
import io.oqto.api.runner.terminals.TerminalConnected;
import io.oqto.routing.internal.RunnerRouter;
import io.oqto.testing.tty.TtyClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The terminal path: keystroke to echo, and {@code cat} of a large file, through the control plane's WebSocket route
 * (browser → control plane → handed-over socket → terminal program) against the same terminal program reached
 * directly (a connection handed over by the runner to this process), in the same run. The program is whatever the
 * runner starts for ttyd: oqto-tty here. Each terminal runs {@code stty raw -echo; cat}, so a byte sent comes back
 * once, as it is.
 *
 * <pre>TerminalBench base-url token-file runner-socket workspace keystrokes megabytes rounds</pre>
 */
public final class TerminalBench {

    /** Single-user mode: the one user is whoever runs the benchmark (and its runner). */
    private static final String USER = System.getProperty("user.name");

    private TerminalBench() {}

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = Files.readString(Path.of(args[1])).strip();
        RunnerRouter router = RunnerRouter.standalone(args[2]);
        Path workspace = Path.of(args[3]);
        int keystrokes = Integer.parseInt(args[4]);
        int megabytes = Integer.parseInt(args[5]);
        int rounds = Integer.parseInt(args[6]);
        byte[] big = new byte[megabytes << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        Files.write(workspace.resolve("bench-big.txt"), big);

        double[] bridgedP50 = new double[rounds];
        double[] bridgedP99 = new double[rounds];
        double[] directP50 = new double[rounds];
        double[] directP99 = new double[rounds];
        double[] bridgedMbs = new double[rounds];
        double[] directMbs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            try (TtyClientCloser direct = new TtyClientCloser(raw(direct(router)));
                    TtyClientCloser bridged = new TtyClientCloser(raw(bridged(base, token)))) {
                Stats d = Stats.of(echo(direct.client(), keystrokes));
                Stats b = Stats.of(echo(bridged.client(), keystrokes));
                directP50[r] = d.percentileMicros(50);
                directP99[r] = d.percentileMicros(99);
                bridgedP50[r] = b.percentileMicros(50);
                bridgedP99[r] = b.percentileMicros(99);
            }
            try (TtyClientCloser direct = new TtyClientCloser(direct(router))) {
                directMbs[r] = cat(direct.client(), big.length);
            }
            try (TtyClientCloser bridged = new TtyClientCloser(bridged(base, token))) {
                bridgedMbs[r] = cat(bridged.client(), big.length);
            }
        }
        System.out.printf(
                "terminal (oqto-tty), %d rounds (median [range]):%n"
                        + "  keystroke -> echo (raw cat), %d a round: through the control plane p50 %.0f µs [%s], p99 %.0f"
                        + " µs [%s]; directly p50 %.0f µs [%s], p99 %.0f µs [%s]%n"
                        + "  cat of %d MiB (raw): through the control plane %.1f MB/s [%s]; directly %.1f MB/s [%s];"
                        + " ratio %.2f%n",
                rounds,
                keystrokes,
                Stats.median(bridgedP50),
                Stats.range(bridgedP50),
                Stats.median(bridgedP99),
                Stats.range(bridgedP99),
                Stats.median(directP50),
                Stats.range(directP50),
                Stats.median(directP99),
                Stats.range(directP99),
                megabytes,
                Stats.median(bridgedMbs),
                Stats.range(bridgedMbs),
                Stats.median(directMbs),
                Stats.range(directMbs),
                Stats.median(bridgedMbs) / Stats.median(directMbs));
        System.exit(0);
    }

    /** A {@link TtyClient} closed with try-with-resources. */
    private record TtyClientCloser(TtyClient client) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            client.closeBlocking();
        }
    }

    /** A terminal reached directly: the runner hands its connection to this process. */
    private static TtyClient direct(RunnerRouter router) throws Exception {
        String id = router.call(USER, new CreateTerminal(null), Duration.ofSeconds(30))
                .terminal()
                .id();
        Handover<TerminalConnected> h = router.handOver(USER, new ConnectTerminal(id));
        return TtyClient.over(h.connection(), 200, 50);
    }

    /** A terminal made through REST and opened through the control plane's WebSocket route. */
    private static TtyClient bridged(String base, String token) throws Exception {
        HttpResponse<String> made = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/terminals"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (made.statusCode() != 201) {
            throw new IllegalStateException("POST terminals: " + made.statusCode() + " " + made.body());
        }
        String id = made.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        URI ws = URI.create(base.replace("http://", "ws://") + "/api/v1/users/me/terminals/" + id);
        return TtyClient.connect(ws, Map.of("Authorization", "Bearer " + token), 200, 50);
    }

    /** The shell replaced by {@code cat} in raw mode: every byte sent comes back once, unchanged. */
    private static TtyClient raw(TtyClient c) throws Exception {
        c.type("stty raw -echo; echo rea''dy; exec cat\r");
        c.await("ready\n"); // raw mode: no carriage return added
        return c;
    }

    /** Nanoseconds from sending one byte to seeing it come back, for each keystroke. */
    private static long[] echo(TtyClient c, int n) throws Exception {
        AtomicLong seen = new AtomicLong();
        Object lock = new Object();
        c.sendOutputTo(b -> {
            synchronized (lock) {
                seen.addAndGet(b.remaining());
                lock.notifyAll();
            }
        });
        for (int i = 0; i < 50; i++) {
            once(c, seen, lock, i); // warm-up
        }
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            once(c, seen, lock, i);
            nanos[i] = System.nanoTime() - t0;
        }
        return nanos;
    }

    private static void once(TtyClient c, AtomicLong seen, Object lock, int i) throws InterruptedException {
        long want;
        synchronized (lock) {
            want = seen.get() + 1;
        }
        c.type(String.valueOf((char) ('a' + i % 26)));
        synchronized (lock) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.get() < want) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no echo within 10 s");
                }
                lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /**
     * MB/s of a raw {@code cat} of the file through the terminal, counted as it arrives (the few bytes of the command
     * line's echo count too: 60 of 100 MiB).
     */
    private static double cat(TtyClient c, long bytes) throws Exception {
        AtomicLong seen = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        c.sendOutputTo(b -> {
            if (seen.addAndGet(b.remaining()) >= bytes) {
                done.countDown();
            }
        });
        long t0 = System.nanoTime();
        c.type("stty raw -echo; cat bench-big.txt\r");
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("cat did not finish: " + seen.get() + " of " + bytes + " bytes");
        }
        return bytes / ((System.nanoTime() - t0) / 1e9) / 1e6;
    }
}
