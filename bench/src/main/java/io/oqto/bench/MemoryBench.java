package io.oqto.bench;

import io.oqto.testing.mmry.FakeMmry;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Memory on two runners side by side, from the same runner install: one with memory off, one with the embedded
 * ledger holding {@code memories} memories (written before it starts, as another mmry writer would) and the mmry
 * double as its central embeddings service. Measures {@code search_memories} p50/p99, lexical and hybrid, over the
 * runner socket, and both runners' idle RSS afterwards.
 *
 *   MemoryBench <runner install> <scratch dir> [rounds] [memories]
 */
public final class MemoryBench {

    public static void main(String[] args) throws Exception {
        Path install = Path.of(args[0]);
        Path scratch = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        List<String> words = HistoryBench.vocabulary(2000);
        try (FakeMmry central = new FakeMmry(0, null)) {
            Path onDir = Files.createDirectories(scratch.resolve("m-embedded"));
            fill(Files.createDirectories(onDir.resolve("ws/.mmry")).resolve("mmry.jsonl"), count, words);
            try (BenchRunner off = BenchRunner.start(
                            install,
                            Files.createDirectories(scratch.resolve("m-off")),
                            "off",
                            List.of("[memory]", "store = \"off\""));
                    BenchRunner on = BenchRunner.start(
                            install,
                            onDir,
                            "embedded",
                            List.of(
                                    "[memory]",
                                    "store = \"embedded\"",
                                    "embeddings_url = \"" + central.baseUrl() + "\""))) {
                on.await("{\"type\":\"list_memories\",\"limit\":1}", "memory_list");
                long t0 = System.nanoTime();
                String first = on.call(
                        "{\"type\":\"search_memories\",\"query\":\"" + words.get(0) + "\",\"mode\":\"hybrid\"}");
                if (!first.contains("\"mode\":\"hybrid\"")) {
                    throw new IllegalStateException("hybrid search did not rank by meaning: " + first);
                }
                System.out.printf(
                        "first hybrid search (embeds all %d memories through the central double, then caches them): %.0f ms%n",
                        count, (System.nanoTime() - t0) / 1e6);
                System.out.printf(
                        "search_memories over %d memories (one random word of %d, limit 10), 100 queries x %d rounds:%n",
                        count, words.size(), rounds);
                for (String mode : List.of("lexical", "hybrid")) {
                    Random random = new Random(11);
                    double[] p50 = new double[rounds];
                    double[] p99 = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        long[] t = new long[100];
                        for (int i = 0; i < t.length; i++) {
                            String q = words.get(random.nextInt(words.size()));
                            long s = System.nanoTime();
                            String reply = on.call("{\"type\":\"search_memories\",\"query\":\"" + q + "\",\"mode\":\""
                                    + mode + "\",\"limit\":10}");
                            t[i] = System.nanoTime() - s;
                            if (!reply.contains("\"mode\":\"" + mode + "\"")) {
                                throw new IllegalStateException(mode + ": " + reply);
                            }
                        }
                        Stats st = Stats.of(t);
                        p50[r] = st.percentileMicros(50) / 1000;
                        p99[r] = st.percentileMicros(99) / 1000;
                    }
                    System.out.printf(
                            "  %-8s p50 %7.1f ms [%s]   p99 %7.1f ms [%s]%n",
                            mode, Stats.median(p50), Stats.range(p50), Stats.median(p99), Stats.range(p99));
                }
                off.call("{\"type\":\"status\"}");
                Thread.sleep(10_000);
                System.out.println("runner idle RSS 10 s after the last request (5 samples, 1 s apart):");
                for (BenchRunner r : List.of(off, on)) {
                    double[] rss = new double[5];
                    double[] anon = new double[5];
                    for (int i = 0; i < 5; i++) {
                        double[] s = r.rss();
                        rss[i] = s[0];
                        anon[i] = s[1];
                        Thread.sleep(1000);
                    }
                    System.out.printf(
                            "  memory %-9s RSS %.1f MiB [%s]   private %.1f MiB [%s]%n",
                            r.name, Stats.median(rss), Stats.range(rss), Stats.median(anon), Stats.range(anon));
                }
            }
        }
    }

    /** A ledger of {@code count} added memories, written as mmry's ledger format has it (services-spec §3.3). */
    private static void fill(Path ledger, int count, List<String> words) throws Exception {
        Random random = new Random(7);
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        try (BufferedWriter w = Files.newBufferedWriter(ledger, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                List<String> tags = new ArrayList<>(List.of(words.get(random.nextInt(words.size()))));
                w.write("{\"schema_version\":1,\"id\":\"evt_" + UUID.randomUUID() + "\",\"ts\":\"" + t.plusSeconds(i)
                        + "\",\"type\":\"memory.add\",\"memory_id\":\"mem_" + UUID.randomUUID() + "\",\"content\":\""
                        + HistoryBench.sentence(random, words) + "\",\"memory_type\":\"semantic\",\"tags\":[\""
                        + tags.get(0) + "\"],\"metadata\":{},\"agent_ctx\":{}}\n");
            }
        }
    }
}
