package io.oqto.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * REST → runner ping under load: {@code POST /api/v1/users/me/runner/ping} from 1, 8 and 64 concurrent
 * clients, each level for a fixed time after a warm-up, repeated; prints requests/s and p50/p99. Then, in the same
 * run and at 64 clients, the layers under it on their own: {@code GET /api/health} (Jetty and CXF, no token, no
 * runner) and {@code GET /app.css} (Jetty and the web UI's servlet, no CXF): the ceiling each layer leaves on this
 * machine.
 *
 *   RestPingBench <base url> <token file> [seconds per level] [rounds]
 */
public final class RestPingBench {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = Files.readString(Path.of(args[1])).strip();
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/runner/ping"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build();
        run(http, ping, 8, 3); // warm-up: JIT, connection pools on both sides
        System.out.printf(
                "REST -> runner ping, %d s per level x %d rounds (median of rounds, range in brackets)%n",
                seconds, rounds);
        for (int clients : new int[] {1, 8, 64}) {
            level(http, ping, "", clients, seconds, rounds);
        }
        System.out.println("the layers under it, alone, 64 clients:");
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/api/health"))
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpRequest css = HttpRequest.newBuilder(URI.create(base + "/app.css"))
                .timeout(Duration.ofSeconds(30))
                .build();
        run(http, health, 8, 2);
        run(http, css, 8, 2);
        level(http, health, "GET /api/health (Jetty + CXF)       ", 64, seconds, rounds);
        level(http, css, "GET /app.css (Jetty + UI servlet)   ", 64, seconds, rounds);
    }

    private static void level(HttpClient http, HttpRequest req, String label, int clients, int seconds, int rounds)
            throws InterruptedException {
        double[] rps = new double[rounds], p50 = new double[rounds], p99 = new double[rounds];
        int errors = 0;
        for (int r = 0; r < rounds; r++) {
            Result res = run(http, req, clients, seconds);
            rps[r] = res.requests / (double) seconds;
            p50[r] = res.stats.percentileMicros(50) / 1000;
            p99[r] = res.stats.percentileMicros(99) / 1000;
            errors += res.errors;
        }
        System.out.printf(
                "  %s%2d clients  %8.0f req/s [%s]   p50 %6.2f ms [%s]   p99 %6.2f ms [%s]   errors %d%n",
                label,
                clients,
                Stats.median(rps),
                Stats.range(rps),
                Stats.median(p50),
                Stats.range(p50),
                Stats.median(p99),
                Stats.range(p99),
                errors);
    }

    record Result(int requests, int errors, Stats stats) {}

    static Result run(HttpClient http, HttpRequest req, int clients, int seconds) throws InterruptedException {
        return run(http, c -> req, clients, seconds);
    }

    /** {@code clients} threads, client {@code c} sending {@code requests.apply(c)} in a loop for {@code seconds}. */
    static Result run(HttpClient http, IntFunction<HttpRequest> requests, int clients, int seconds)
            throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perThread = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        int[] counts = new int[clients];
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            long[] lat = new long[2_000_000 / clients + 1000];
            perThread.add(lat);
            int idx = c;
            HttpRequest req = requests.apply(c);
            Thread t = new Thread(() -> {
                int n = 0;
                while (System.nanoTime() < end && n < lat.length) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
                        if (resp.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                counts[idx] = n;
                done.countDown();
            });
            t.start();
        }
        done.await();
        int total = 0;
        for (int n : counts) {
            total += n;
        }
        long[] all = new long[total];
        int pos = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(perThread.get(c), 0, all, pos, counts[c]);
            pos += counts[c];
        }
        return new Result(total, errors.get(), Stats.of(all));
    }
}
