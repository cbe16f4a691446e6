package io.oqto.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Session start-up: {@code POST /sessions} until its {@code agent_ready} event arrives over SSE, against
 * starting the same pi ({@code pi --mode rpc}) directly until it answers {@code get_state}, alternating.
 *
 *   SessionStartBench <base url> <token file> <pi> <workspace> [starts per round] [rounds]
 */
public final class SessionStartBench {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = Files.readString(Path.of(args[1])).strip();
        String pi = args[2];
        Path ws = Path.of(args[3]);
        int starts = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        HttpClient http = HttpClient.newHttpClient();
        double[] restP50 = new double[rounds];
        double[] directP50 = new double[rounds];
        int n = 0;
        for (int r = -1; r < rounds; r++) {
            long[] rest = new long[starts];
            long[] direct = new long[starts];
            for (int i = 0; i < starts; i++) {
                String id = "start-" + n++;
                CountDownLatch ready = new CountDownLatch(1);
                long t0 = System.nanoTime();
                SessionRelayBench.post(http, base + "/api/v1/users/me/sessions", token, "{\"session\":\"" + id + "\"}");
                try (Sse sse =
                        new Sse(http, base + "/api/v1/users/me/sessions/" + id + "/events", token, (name, data) -> {
                            if (name.equals("session.starting") && data.contains("\"stage\":\"agent_ready\"")) {
                                ready.countDown();
                            }
                        })) {
                    if (!ready.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("session " + id + " never became ready");
                    }
                    rest[i] = System.nanoTime() - t0;
                }
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/sessions/" + id))
                                .header("Authorization", "Bearer " + token)
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());

                long t1 = System.nanoTime();
                Process p = new ProcessBuilder(pi, "--mode", "rpc")
                        .directory(ws.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                p.getOutputStream().write("{\"id\":\"s\",\"type\":\"get_state\"}\n".getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                for (String line = out.readLine();
                        line != null && !line.contains("\"command\":\"get_state\"");
                        line = out.readLine()) {
                    // events before the answer, if any
                }
                direct[i] = System.nanoTime() - t1;
                p.destroy();
                p.waitFor();
            }
            if (r >= 0) {
                restP50[r] = Stats.of(rest).percentileMicros(50) / 1000;
                directP50[r] = Stats.of(direct).percentileMicros(50) / 1000;
            }
        }
        double[] overhead = Stats.minus(restP50, directP50);
        System.out.printf(
                "session start until agent ready, %d starts x %d rounds (median of round p50s, range), ms%n",
                starts, rounds);
        System.out.printf(
                "  pi directly, until get_state answers   p50 %7.1f [%s]%n",
                Stats.median(directP50), Stats.range(directP50));
        System.out.printf(
                "  POST /sessions until agent_ready (SSE) p50 %7.1f [%s]%n",
                Stats.median(restP50), Stats.range(restP50));
        System.out.printf(
                "  overhead                               p50 %7.1f [%s]   (goal <= 150 ms)%n",
                Stats.median(overhead), Stats.range(overhead));
    }
}
