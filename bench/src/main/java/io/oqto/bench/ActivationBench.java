package io.oqto.bench;

import io.oqto.api.unix.UnixAccounts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Socket-activated runners (issue 19), multi-user mode with the root helper holding every runner's socket:
 *
 * <ul>
 *   <li>{@code cold}: one user; per round, wait until its runner has exited (idle), time the first request (it
 *       starts the runner), then warm requests: cold vs warm p50/p99;
 *   <li>{@code density}: provision many users, let every runner exit, and read what the host's used memory grew by
 *       per provisioned user; then a first request to many of them at once: the time until all answered and the
 *       memory per active runner (host delta, and the runners' own PSS); then those users at once, 1,000 requests
 *       each, every reply checked against its user (no cross-talk).
 * </ul>
 *
 *   ActivationBench cold <base url> <token file> <name prefix> <runner home> <rounds>
 *   ActivationBench density <base url> <token file> <name prefix> <runner home> <users> <active>
 */
public final class ActivationBench {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(64))
            .build();
    private static String base = "";
    private static String token = "";
    private static String runnerHome = "";

    public static void main(String[] args) throws Exception {
        base = args[1];
        token = Files.readString(Path.of(args[2])).strip(); // from a 0600 file: never on a command line
        String prefix = args[3];
        runnerHome = args[4];
        int status = 1;
        try {
            if (args[0].equals("cold")) {
                cold(prefix, Integer.parseInt(args[5]));
            } else {
                density(prefix, Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            }
            status = 0;
        } catch (Throwable e) {
            System.err.println("the bench failed: " + e);
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                System.err.println("  caused by: " + c);
            }
        } finally {
            System.exit(status); // the HTTP client's and the pools' threads would keep a failed run alive
        }
    }

    private static void cold(String prefix, int rounds) throws Exception {
        String user = prefix + "c";
        ProvisioningTimer.create(HTTP, base, token, user);
        double[] cold = new double[rounds];
        List<Double> warm = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            awaitNoRunners(Duration.ofMinutes(2));
            cold[r] = ping(user);
            for (int i = 0; i < 50; i++) {
                warm.add(ping(user));
            }
        }
        double[] w = warm.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf(
                "first request to an idle user (starts its runner), %d rounds: p50 %.0f ms, p99 %.0f ms [%s]%n",
                rounds, percentile(cold, 50), percentile(cold, 99), Stats.range(cold));
        System.out.printf(
                "warm requests (%d, 50 per round): p50 %.2f ms, p99 %.2f ms; cold/warm p50 x%.0f%n",
                w.length, percentile(w, 50), percentile(w, 99), percentile(cold, 50) / percentile(w, 50));
    }

    private static void density(String prefix, int users, int active) throws Exception {
        awaitNoRunners(Duration.ofMinutes(2));
        dropCaches();
        long before = usedKib();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Double>> made = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String name = prefix + "d" + i;
            made.add(pool.submit(() -> ProvisioningTimer.create(HTTP, base, token, name)));
        }
        double[] times = new double[users];
        for (int i = 0; i < users; i++) {
            times[i] = made.get(i).get();
        }
        pool.shutdown();
        System.out.printf(
                "provisioned %d users (4 at a time) in %.0f s, each %.0f ms median [%s]%n",
                users, (System.nanoTime() - t0) / 1e9, Stats.median(times), Stats.range(times));
        awaitNoRunners(Duration.ofMinutes(5));
        dropCaches();
        long idle = usedKib();
        System.out.printf(
                "all idle (no runner process): host memory used +%.1f MiB for %d users = %.0f KiB per provisioned user%n",
                (idle - before) / 1024.0, users, (idle - before) / (double) users);
        System.out.printf("  the root helper: RSS %.1f MiB%n", helperRssKib() / 1024.0);

        ExecutorService burst = Executors.newFixedThreadPool(active);
        List<CompletableFuture<Double>> answers = new ArrayList<>();
        AtomicBoolean measured = new AtomicBoolean();
        long t1 = System.nanoTime();
        for (int i = 0; i < active; i++) {
            String name = prefix + "d" + i;
            CompletableFuture<Double> answered = new CompletableFuture<>();
            answers.add(answered);
            burst.execute(() -> {
                try {
                    answered.complete(pingUntilAnswered(name));
                } catch (Exception e) {
                    answered.completeExceptionally(e);
                    return;
                }
                // An active user: a request every 2 s keeps the runner from its idle exit (5 s here) until the
                // memory is read, as the first runners to answer would otherwise be gone by then.
                while (!measured.get()) {
                    try {
                        Thread.sleep(2000);
                        ping(name);
                    } catch (Exception e) {
                        // counted by nobody: only the memory figure depends on these
                    }
                }
            });
        }
        double[] each = new double[active];
        for (int i = 0; i < active; i++) {
            each[i] = answers.get(i).get();
        }
        double all = (System.nanoTime() - t1) / 1e6;
        System.out.printf(
                "first request to %d idle users at once: all answered after %.1f s; each p50 %.1f s, p99 %.1f s;"
                        + " %d answers were 503 or timed out and were retried after 1 s%n",
                active, all / 1000, percentile(each, 50) / 1000, percentile(each, 99) / 1000, RETRIES.get());
        Thread.sleep(10_000); // settle: the runners' start-up garbage is collected, as in the footprint bench
        List<Long> pids = runnerPids();
        long activeUsed = usedKib();
        long pss = 0;
        long rss = 0;
        for (long pid : pids) {
            pss += field(Path.of("/proc/" + pid + "/smaps_rollup"), "Pss:");
            rss += field(Path.of("/proc/" + pid + "/status"), "VmRSS:");
        }
        System.out.printf(
                "%d runners running: host memory +%.1f MiB over all idle = %.1f MiB per active runner;"
                        + " runners' PSS %.1f MiB, RSS %.1f MiB each (mean)%n",
                pids.size(),
                (activeUsed - idle) / 1024.0,
                (activeUsed - idle) / 1024.0 / Math.max(1, pids.size()),
                pss / 1024.0 / Math.max(1, pids.size()),
                rss / 1024.0 / Math.max(1, pids.size()));
        crossTalk(prefix, active, 1000);
        measured.set(true);
        burst.shutdown();
        burst.awaitTermination(1, TimeUnit.MINUTES);
    }

    /**
     * {@code active} users at once, {@code requests} each, through REST to their own runners: every reply is the
     * runner's own status, and must name that user's Linux account and uid (the system's account database) — a reply from another
     * user's runner would be cross-talk. Prints p50/p99 over all requests, errors and mismatches.
     */
    private static void crossTalk(String prefix, int active, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(active);
        List<Future<double[]>> runs = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mismatches = new java.util.concurrent.atomic.AtomicInteger();
        long t0 = System.nanoTime();
        for (int i = 0; i < active; i++) {
            String name = prefix + "d" + i;
            String linux = "oqto_" + name;
            int uid = UnixAccounts.byName(linux)
                    .orElseThrow(() -> new IllegalStateException("no Linux user " + linux))
                    .uid();
            runs.add(pool.submit(() -> {
                double[] ms = new double[requests];
                for (int r = 0; r < requests; r++) {
                    long s0 = System.nanoTime();
                    HttpResponse<String> reply = HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/v1/users/" + name + "/runner"))
                                    .header("Authorization", "Bearer " + token)
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    ms[r] = (System.nanoTime() - s0) / 1e6;
                    if (reply.statusCode() != 200) {
                        errors.incrementAndGet();
                    } else if (!reply.body().contains("\"linux_user\":\"" + linux + "\"")
                            || !reply.body().contains("\"uid\":" + uid + ",")) {
                        mismatches.incrementAndGet();
                    }
                }
                return ms;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<double[]> f : runs) {
            for (double d : f.get()) {
                all.add(d);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        double[] ms = all.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf(
                "%d users x %d requests at once (GET each one's runner status, checked against its Linux user and uid):"
                        + " %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d, replies of another user %d%n",
                active,
                requests,
                ms.length / seconds,
                percentile(ms, 50),
                percentile(ms, 99),
                errors.get(),
                mismatches.get());
    }

    /** As a client that retries a 503 would: the time until the user's runner answered, and how often it was 503. */
    private static double pingUntilAnswered(String user) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                ping(user);
                return (System.nanoTime() - t0) / 1e6;
            } catch (IllegalStateException | java.io.IOException e) {
                RETRIES.incrementAndGet();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger RETRIES =
            new java.util.concurrent.atomic.AtomicInteger();

    private static double ping(String user) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/users/" + user + "/runner/ping"))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(90))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("ping " + user + ": " + r.statusCode() + " " + r.body());
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The runner JVMs of this bench's install. */
    private static List<Long> runnerPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                String cmd;
                try {
                    cmd = new String(Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                } catch (IOException gone) {
                    continue;
                }
                if (cmd.contains("org.apache.karaf.main.Main") && cmd.contains("-Dkaraf.home=" + runnerHome)) {
                    pids.add(Long.parseLong(p.getFileName().toString()));
                }
            }
        }
        return pids;
    }

    private static void awaitNoRunners(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!runnerPids().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("runners still running after " + limit + ": " + runnerPids());
            }
            Thread.sleep(200);
        }
    }

    private static long helperRssKib() throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String cmd = new String(
                                    Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmd.contains("io.oqto.usermgr.Main")) {
                        return field(p.resolve("status"), "VmRSS:");
                    }
                } catch (IOException gone) {
                    // not there any more
                }
            }
        }
        return 0;
    }

    /** Host memory in use: MemTotal − MemAvailable, KiB. */
    private static long usedKib() throws IOException {
        Path meminfo = Path.of("/proc/meminfo");
        return field(meminfo, "MemTotal:") - field(meminfo, "MemAvailable:");
    }

    /** The page cache out of the figure (the homes' files copied from the skeleton would otherwise count). */
    private static void dropCaches() {
        try {
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3\n");
        } catch (IOException e) {
            System.out.println("  (page cache not dropped: " + e.getMessage() + ")");
        }
    }

    private static long field(Path file, String name) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).trim().split("\\s+", -1)[0]);
            }
        }
        return 0;
    }

    private static double percentile(double[] values, double p) {
        double[] c = values.clone();
        java.util.Arrays.sort(c);
        int i = (int) Math.min(c.length - 1, Math.ceil(p / 100.0 * c.length) - 1);
        return c[Math.max(0, i)];
    }
}
