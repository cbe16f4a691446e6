package io.oqto.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event relay latency: each delta the fake agent writes carries the wall-clock time it was written; the
 * SSE client subtracts it from the time it read the event. 1 session, then 50 at once, each prompted to
 * emit {@code deltas} deltas a fixed interval apart; p50/p99 per round, median and range over rounds.
 *
 *   SessionRelayBench <base url> <token file> [deltas] [rounds] [ms between deltas]
 */
public final class SessionRelayBench {

    private static final Pattern DELTA = Pattern.compile("\"delta\":\"(\\d+)\"");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = Files.readString(Path.of(args[1])).strip();
        int deltas = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int intervalMs = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        HttpClient http = HttpClient.newHttpClient();
        System.out.printf(
                "event relay latency, agent stdout -> SSE client, %d deltas per session %d ms apart (%d events/s per session),"
                        + " %d rounds (median [range]), ms%n",
                deltas, intervalMs, 1000 / intervalMs, rounds);
        for (int sessions : new int[] {1, 50}) {
            double[] p50 = new double[rounds];
            double[] p99 = new double[rounds];
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                String id = "relay" + sessions + "-" + i;
                ids.add(id);
                post(http, base + "/api/v1/users/me/sessions", token, "{\"session\":\"" + id + "\"}");
            }
            for (String id : ids) {
                waitIdle(http, base, token, id);
            }
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            CountDownLatch[] ends = new CountDownLatch[1];
            List<Sse> streams = new ArrayList<>();
            for (String id : ids) {
                String info = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/sessions/" + id))
                                        .header("Authorization", "Bearer " + token)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                String lastSeq = info.replaceAll(".*\"last_seq\":(\\d+).*", "$1");
                streams.add(new Sse(
                        http,
                        base + "/api/v1/users/me/sessions/" + id + "/events?after=" + lastSeq,
                        token,
                        (name, data) -> {
                            if (name.equals("message.delta")) {
                                Matcher m = DELTA.matcher(data);
                                if (m.find()) {
                                    latencies.add(nowMicros() - Long.parseLong(m.group(1)));
                                }
                            } else if (name.equals("agent.idle")) {
                                ends[0].countDown();
                            }
                        }));
            }
            for (int r = -1; r < rounds; r++) { // round -1 warms up
                latencies.clear();
                ends[0] = new CountDownLatch(sessions);
                for (String id : ids) {
                    waitIdle(http, base, token, id);
                }
                List<Thread> prompts = new ArrayList<>();
                for (String id : ids) {
                    Thread t = new Thread(() -> post(
                            http,
                            base + "/api/v1/users/me/sessions/" + id + "/prompt",
                            token,
                            "{\"message\":\"bench " + deltas + " " + intervalMs + "\"}"));
                    t.start();
                    prompts.add(t);
                }
                for (Thread t : prompts) {
                    t.join();
                }
                if (!ends[0].await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("not every session finished its run");
                }
                if (r >= 0) {
                    long[] nanos = latencies.stream().mapToLong(us -> us * 1000).toArray();
                    if (nanos.length != (long) sessions * deltas) {
                        throw new IllegalStateException(
                                "got " + nanos.length + " deltas, expected " + sessions * deltas);
                    }
                    Stats s = Stats.of(nanos);
                    p50[r] = s.percentileMicros(50) / 1000;
                    p99[r] = s.percentileMicros(99) / 1000;
                }
            }
            streams.forEach(Sse::close);
            for (String id : ids) {
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/sessions/" + id))
                                .header("Authorization", "Bearer " + token)
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            System.out.printf(
                    "  %2d session(s): p50 %6.2f [%s]   p99 %6.2f [%s]   (goal p99 <= 10 ms at 50)%n",
                    sessions, Stats.median(p50), Stats.range(p50), Stats.median(p99), Stats.range(p99));
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    static void waitIdle(HttpClient http, String base, String token, String id) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            String s = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/sessions/" + id))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            if (s.contains("\"state\":\"idle\"")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("session " + id + " never became idle");
    }

    static String post(HttpClient http, String url, String token, String body) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
