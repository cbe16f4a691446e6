package io.oqto.bench;

import io.oqto.testing.eavs.FakeEavs;
import io.oqto.testing.llm.FakeLlm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The latency eavs adds to an agent turn: two real pi processes in RPC mode, one whose provider is the fake LLM
 * directly, one whose provider is the eavs double in front of the same fake LLM (with a virtual key, as the runner
 * writes it), prompted alternately in the same run; a turn is a prompt written until pi's {@code agent_end}.
 *
 *   EavsTurnBench <pi> [turns] [rounds]
 */
public final class EavsTurnBench {

    private static final String MASTER = "bench-master-key";

    public static void main(String[] args) throws Exception {
        String pi = args[0];
        int turns = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createTempDirectory("oqto-eavs-bench");
        try (FakeLlm llm = new FakeLlm(0);
                FakeEavs eavs = FakeEavs.inFrontOf(llm.baseUrl(), FakeLlm.MODEL, MASTER)) {
            String key = issueKey(eavs.baseUrl());
            Files.writeString(
                    dir.resolve("models.json"),
                    "{\"providers\":{"
                            + "\"direct\":{\"baseUrl\":\"" + llm.baseUrl() + "\",\"api\":\"openai-completions\","
                            + "\"apiKey\":\"test-key\",\"models\":[{\"id\":\"" + FakeLlm.MODEL + "\"}]},"
                            + "\"eavs-fake\":{\"baseUrl\":\"" + eavs.baseUrl()
                            + "/fake/v1\",\"api\":\"openai-completions\","
                            + "\"apiKey\":\"" + key + "\",\"models\":[{\"id\":\"" + FakeLlm.MODEL + "\"}]}}}");
            try (Pi direct = new Pi(pi, dir, "direct");
                    Pi viaEavs = new Pi(pi, dir, "eavs-fake")) {
                // Warm-up: node's JIT and both HTTP paths.
                for (int i = 0; i < 10; i++) {
                    direct.turn();
                    viaEavs.turn();
                }
                System.out.printf(
                        "agent turn (prompt -> agent_end), real pi, %d turns x %d rounds, alternating:%n",
                        turns, rounds);
                double[] d50 = new double[rounds];
                double[] d99 = new double[rounds];
                double[] e50 = new double[rounds];
                double[] e99 = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    long[] a = new long[turns];
                    long[] b = new long[turns];
                    for (int i = 0; i < turns; i++) {
                        a[i] = direct.turn();
                        b[i] = viaEavs.turn();
                    }
                    Stats sa = Stats.of(a);
                    Stats sb = Stats.of(b);
                    d50[r] = sa.percentileMicros(50) / 1000;
                    d99[r] = sa.percentileMicros(99) / 1000;
                    e50[r] = sb.percentileMicros(50) / 1000;
                    e99[r] = sb.percentileMicros(99) / 1000;
                }
                System.out.printf(
                        "  direct to the fake LLM: p50 %.1f ms [%s], p99 %.1f ms [%s]%n",
                        Stats.median(d50), Stats.range(d50), Stats.median(d99), Stats.range(d99));
                System.out.printf(
                        "  through the eavs double: p50 %.1f ms [%s], p99 %.1f ms [%s]%n",
                        Stats.median(e50), Stats.range(e50), Stats.median(e99), Stats.range(e99));
                double[] added = Stats.minus(e50, d50);
                System.out.printf(
                        "  added by eavs: p50 %+.1f ms [%s] per turn, ratio x%.2f%n",
                        Stats.median(added), Stats.range(added), Stats.median(e50) / Stats.median(d50));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String issueKey(String eavs) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(eavs + "/admin/keys"))
                                .header("Authorization", "Bearer " + MASTER)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"owner\":\"bench\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.body().replaceAll(".*\"key\":\"(eavs-[0-9A-Za-z]+)\".*", "$1");
    }

    /** One pi in RPC mode with one provider; {@link #turn()} prompts and waits for the end of the run. */
    private static final class Pi implements AutoCloseable {
        private final Process process;
        private final OutputStream in;
        private final BlockingQueue<String> ends = new LinkedBlockingQueue<>();

        Pi(String pi, Path agentDir, String provider) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(
                    pi, "--mode", "rpc", "--provider", provider, "--model", FakeLlm.MODEL, "--no-session");
            pb.environment().put("PI_CODING_AGENT_DIR", agentDir.toString());
            pb.directory(agentDir.toFile());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            process = pb.start();
            in = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.contains("\"type\":\"agent_end\"")) {
                            ends.add(line);
                        }
                    }
                } catch (IOException e) {
                    ends.add("closed: " + e);
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        long turn() throws Exception {
            long t0 = System.nanoTime();
            in.write("{\"type\":\"prompt\",\"message\":\"hello\"}\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            String end = ends.poll(60, TimeUnit.SECONDS);
            if (end == null || !end.contains("You said: hello")) {
                throw new IllegalStateException("pi did not answer: " + end);
            }
            return System.nanoTime() - t0;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
