package io.oqto.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Provisioning end to end through REST ({@code POST /api/v1/admin/users} answers once the new runner
 * answers): 20 users one after another (how the time grows with the users already there), 5 at once
 * (rounds), then runner pings routed to 20 users' runners at once vs all to one runner, same run.
 *
 *   ProvisioningBench <base url> <admin token file> <name prefix> [rounds]
 */
public final class ProvisioningBench {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static String base = "";
    private static String token = "";

    public static void main(String[] args) throws Exception {
        base = args[0];
        token = Files.readString(Path.of(args[1])).strip(); // a 0600 file: no secret on a command line
        String prefix = args[2];
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        List<String> created = new ArrayList<>();
        try {
            System.out.println("provisioning, end to end (POST /api/v1/admin/users until the runner answers):");
            double[] seq = new double[20];
            for (int i = 0; i < 20; i++) {
                String name = prefix + "s" + i;
                seq[i] = create(name);
                created.add(name);
            }
            System.out.printf("  sequential, users 1-20: %s ms%n", join(seq));
            System.out.printf(
                    "  users 1-5 median %.0f ms [%s], users 16-20 median %.0f ms [%s], growth x%.2f%n",
                    Stats.median(slice(seq, 0, 5)),
                    Stats.range(slice(seq, 0, 5)),
                    Stats.median(slice(seq, 15, 20)),
                    Stats.range(slice(seq, 15, 20)),
                    Stats.median(slice(seq, 15, 20)) / Stats.median(slice(seq, 0, 5)));

            double[] wall = new double[rounds];
            double[] each = new double[rounds];
            ExecutorService pool = Executors.newFixedThreadPool(5);
            for (int r = 0; r < rounds; r++) {
                List<Future<Double>> f = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int i = 0; i < 5; i++) {
                    String name = prefix + "p" + r + "x" + i;
                    f.add(pool.submit(() -> create(name)));
                }
                double[] times = new double[5];
                for (int i = 0; i < 5; i++) {
                    times[i] = f.get(i).get();
                }
                wall[r] = (System.nanoTime() - t0) / 1e6;
                each[r] = Stats.median(times);
                for (int i = 0; i < 5; i++) {
                    delete(prefix + "p" + r + "x" + i);
                }
            }
            pool.shutdown();
            System.out.printf(
                    "  5 in parallel: all answering after %.0f ms [%s], each %.0f ms [%s] (median of %d rounds)%n",
                    Stats.median(wall), Stats.range(wall), Stats.median(each), Stats.range(each), rounds);

            System.out.printf(
                    "routing: runner ping through REST, 20 clients, 5 s x %d rounds (after %.0f s for the new runners to settle):%n",
                    rounds, settle() / 1000.0);
            // Warm-up: the control plane's request path and twenty runner JVMs get compiled as they are used;
            // alternate both loads until the spread figure stops changing (within 10 %), at most 10 rounds.
            double last = 0;
            int warmups = 0;
            while (warmups < 10) {
                double now = RestPingBench.run(HTTP, c -> ping(created.get(c)), 20, 5)
                                .requests()
                        / 5.0;
                RestPingBench.run(HTTP, c -> ping(created.get(0)), 20, 5);
                warmups++;
                if (last > 0 && Math.abs(now - last) / last < 0.10) {
                    break;
                }
                last = now;
            }
            System.out.printf("  (after %d warm-up rounds of both)%n", warmups);
            double[] spread = new double[rounds];
            double[] one = new double[rounds];
            double[] spreadP99 = new double[rounds];
            double[] oneP99 = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                RestPingBench.Result a = RestPingBench.run(HTTP, c -> ping(created.get(c)), 20, 5);
                RestPingBench.Result b = RestPingBench.run(HTTP, c -> ping(created.get(0)), 20, 5);
                spread[r] = a.requests() / 5.0;
                one[r] = b.requests() / 5.0;
                spreadP99[r] = a.stats().percentileMicros(99) / 1000;
                oneP99[r] = b.stats().percentileMicros(99) / 1000;
                if (a.errors() + b.errors() > 0) {
                    System.out.println("  errors: " + a.errors() + " / " + b.errors());
                }
            }
            System.out.printf("  rounds in order, 20 runners / 1 runner: %s / %s req/s%n", join(spread), join(one));
            System.out.printf(
                    "  to 20 runners: %.0f req/s [%s], p99 %.2f ms [%s]%n",
                    Stats.median(spread), Stats.range(spread), Stats.median(spreadP99), Stats.range(spreadP99));
            System.out.printf(
                    "  to 1 runner:   %.0f req/s [%s], p99 %.2f ms [%s]%n",
                    Stats.median(one), Stats.range(one), Stats.median(oneP99), Stats.range(oneP99));
            System.out.printf("  ratio 20 runners / 1 runner: x%.2f%n", Stats.median(spread) / Stats.median(one));
        } finally {
            for (String name : created) {
                delete(name);
            }
        }
    }

    /** Waits (at most 60 s) until the machine is mostly idle: freshly started runners are still booting. */
    private static long settle() throws Exception {
        long t0 = System.currentTimeMillis();
        long[] before = cpu();
        while (System.currentTimeMillis() - t0 < 60_000) {
            Thread.sleep(1000);
            long[] now = cpu();
            double busy = 1 - (double) (now[1] - before[1]) / (now[0] - before[0]);
            before = now;
            if (busy < 0.15) {
                break;
            }
        }
        return System.currentTimeMillis() - t0;
    }

    /** Total and idle jiffies from /proc/stat. */
    private static long[] cpu() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+", -1);
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    private static HttpRequest ping(String user) {
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/users/" + user + "/runner/ping"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static double create(String name) throws Exception {
        return ProvisioningTimer.create(HTTP, base, token, name);
    }

    private static void delete(String name) throws Exception {
        ProvisioningTimer.delete(HTTP, base, token, name);
    }

    private static double[] slice(double[] a, int from, int to) {
        return Arrays.copyOfRange(a, from, to);
    }

    private static String join(double[] a) {
        StringBuilder b = new StringBuilder();
        for (double v : a) {
            b.append(b.length() == 0 ? "" : " ").append(Math.round(v));
        }
        return b.toString();
    }
}
