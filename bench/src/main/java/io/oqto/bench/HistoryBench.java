package io.oqto.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.oqto.history.internal.EmbeddedHistoryComponent;
import io.oqto.hstry.proto.Conversation;
import io.oqto.hstry.proto.Message;
import io.oqto.hstry.proto.WriteConversationRequest;
import io.oqto.hstry.proto.WriteServiceGrpc;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.testing.hstry.FakeHstry;
import io.oqto.testing.llm.FakeLlm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Chat history on three runners side by side, started from the same runner install: history off, the embedded
 * store, and the hstry connector (with the hstry double on TCP). Measures, in the same run: an agent turn (the real
 * pi against the fake LLM) from the prompt to {@code agent.idle}, alternating the runners, so the difference to "off"
 * is what keeping the turn costs; {@code search_history} p50/p99 over {@code messages} stored messages (written
 * before the runners start); and each runner's idle RSS with its store loaded.
 *
 *   HistoryBench <runner install> <pi> <scratch dir> [turns per round] [rounds] [stored messages]
 */
public final class HistoryBench {

    private static final List<String> STORES = List.of("off", "embedded", "hstry");
    private static final int PER_CONVERSATION = 20;

    public static void main(String[] args) throws Exception {
        Path install = Path.of(args[0]);
        String pi = args[1];
        Path scratch = Path.of(args[2]);
        int turns = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        int stored = args.length > 5 ? Integer.parseInt(args[5]) : 10_000;
        List<String> words = vocabulary(2000);
        try (FakeLlm llm = new FakeLlm(0);
                FakeHstry hstry = new FakeHstry()) {
            List<BenchRunner> runners = new ArrayList<>();
            try {
                for (String store : STORES) {
                    Path dir = Files.createDirectories(scratch.resolve("h-" + store));
                    Path state = Files.createDirectories(dir.resolve("home/.local/state"));
                    if (store.equals("embedded")) {
                        fillEmbedded(state.resolve("oqto/history.db"), stored, words);
                    } else if (store.equals("hstry")) {
                        hstry.startTcp(state);
                        fillHstry(
                                Integer.parseInt(Files.readString(state.resolve("hstry/service.port"))), stored, words);
                    }
                    List<String> config = new ArrayList<>(BenchRunner.agent(pi, llm.baseUrl()));
                    config.addAll(List.of("[history]", "store = \"" + store + "\""));
                    BenchRunner r = BenchRunner.start(install, dir, store, config);
                    if (!store.equals("off")) {
                        // The runner installs its store's feature as it starts: wait until history answers.
                        r.await("{\"type\":\"list_history\",\"limit\":1}", "history_list");
                    }
                    runners.add(r);
                }
                turns(runners, turns, rounds);
                search(runners.subList(1, 3), words, rounds, stored);
                footprint(runners);
            } finally {
                for (BenchRunner r : runners) {
                    r.close();
                }
            }
        }
    }

    /** Made-up words, the same every run, so that searches hit a predictable share of messages. */
    static List<String> vocabulary(int n) {
        Random random = new Random(42);
        List<String> words = new ArrayList<>();
        String letters = "abcdefghijklmnopqrstuvwxyz";
        while (words.size() < n) {
            StringBuilder w = new StringBuilder();
            for (int i = 0, len = 4 + random.nextInt(6); i < len; i++) {
                w.append(letters.charAt(random.nextInt(letters.length())));
            }
            if (!words.contains(w.toString())) {
                words.add(w.toString());
            }
        }
        return words;
    }

    static String sentence(Random random, List<String> words) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            s.append(i == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
        }
        return s.toString();
    }

    private static void fillEmbedded(Path db, int stored, List<String> words) throws Exception {
        Files.createDirectories(db.getParent());
        Random random = new Random(7);
        try (EmbeddedHistoryComponent store = new EmbeddedHistoryComponent(db)) {
            for (int c = 0; c * PER_CONVERSATION < stored; c++) {
                List<HistoryMessage> messages = new ArrayList<>();
                for (int i = 0; i < PER_CONVERSATION; i++) {
                    String text = sentence(random, words);
                    messages.add(new HistoryMessage(
                            i,
                            i % 2 == 0 ? "user" : "assistant",
                            text,
                            List.of(Map.of("type", "text", "id", "p" + c + "-" + i, "text", text)),
                            1_700_000_000_000L + c * 60_000L,
                            null,
                            null,
                            null,
                            null));
                }
                store.write(
                        new io.oqto.runner.spi.history.Conversation(
                                "filled-" + c,
                                null,
                                ".",
                                "fake/fake-model",
                                1_700_000_000_000L + c * 60_000L,
                                1_700_000_000_000L + c * 60_000L,
                                0,
                                0,
                                0,
                                null),
                        messages);
            }
        }
    }

    private static void fillHstry(int port, int stored, List<String> words) throws Exception {
        Random random = new Random(7);
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            WriteServiceGrpc.WriteServiceBlockingStub write = WriteServiceGrpc.newBlockingStub(channel);
            for (int c = 0; c * PER_CONVERSATION < stored; c++) {
                WriteConversationRequest.Builder b = WriteConversationRequest.newBuilder()
                        .setConversation(Conversation.newBuilder()
                                .setSourceId("pi")
                                .setExternalId("filled-" + c)
                                .setWorkspace(".")
                                .setCreatedAtMs(1_700_000_000_000L + c * 60_000L));
                for (int i = 0; i < PER_CONVERSATION; i++) {
                    String text = sentence(random, words);
                    b.addMessages(Message.newBuilder()
                            .setIdx(i)
                            .setRole(i % 2 == 0 ? "user" : "assistant")
                            .setContent(text)
                            .setPartsJson(
                                    "[{\"type\":\"text\",\"id\":\"p" + c + "-" + i + "\",\"text\":\"" + text + "\"}]")
                            .setCreatedAtMs(1_700_000_000_000L + c * 60_000L));
                }
                write.writeConversation(b.build());
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void turns(List<BenchRunner> runners, int turns, int rounds) throws Exception {
        for (BenchRunner r : runners) {
            r.createSession();
        }
        for (int i = 0; i < 5; i++) { // warm-up: node's JIT, the runners' code paths, the stores' first writes
            for (BenchRunner r : runners) {
                r.turn();
            }
        }
        double[][] p50 = new double[runners.size()][rounds];
        double[][] p99 = new double[runners.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            long[][] t = new long[runners.size()][turns];
            for (int i = 0; i < turns; i++) {
                for (int k = 0; k < runners.size(); k++) {
                    t[k][i] = runners.get(k).turn();
                }
            }
            for (int k = 0; k < runners.size(); k++) {
                Stats s = Stats.of(t[k]);
                p50[k][round] = s.percentileMicros(50) / 1000;
                p99[k][round] = s.percentileMicros(99) / 1000;
            }
        }
        System.out.printf(
                "agent turn, prompt -> agent.idle over the runner socket, real pi, %d turns x %d rounds, alternating:%n",
                turns, rounds);
        for (int k = 0; k < runners.size(); k++) {
            System.out.printf(
                    "  history %-9s p50 %6.1f ms [%s]   p99 %6.1f ms [%s]%s%n",
                    runners.get(k).name,
                    Stats.median(p50[k]),
                    Stats.range(p50[k]),
                    Stats.median(p99[k]),
                    Stats.range(p99[k]),
                    k == 0
                            ? ""
                            : String.format(
                                    "   added: p50 %+.1f ms [%s]",
                                    Stats.median(Stats.minus(p50[k], p50[0])),
                                    Stats.range(Stats.minus(p50[k], p50[0]))));
        }
        for (BenchRunner r : runners) {
            r.deleteSession();
        }
    }

    private static void search(List<BenchRunner> runners, List<String> words, int rounds, int stored) throws Exception {
        System.out.printf(
                "search_history over %d stored messages (one random word of %d, limit 20), 100 queries x %d rounds:%n",
                stored, words.size(), rounds);
        for (BenchRunner r : runners) {
            Random random = new Random(11);
            double[] p50 = new double[rounds];
            double[] p99 = new double[rounds];
            long hits = 0;
            for (int i = 0; i < 10; i++) {
                r.call("{\"type\":\"search_history\",\"query\":\"" + words.get(i) + "\"}");
            }
            for (int round = 0; round < rounds; round++) {
                long[] t = new long[100];
                for (int i = 0; i < t.length; i++) {
                    String q = words.get(random.nextInt(words.size()));
                    long t0 = System.nanoTime();
                    String reply = r.call("{\"type\":\"search_history\",\"query\":\"" + q + "\",\"limit\":20}");
                    t[i] = System.nanoTime() - t0;
                    if (!reply.contains("\"history_hits\"")) {
                        throw new IllegalStateException(r.name + ": " + reply);
                    }
                    hits += reply.split("\"snippet\"", -1).length - 1;
                }
                Stats s = Stats.of(t);
                p50[round] = s.percentileMicros(50) / 1000;
                p99[round] = s.percentileMicros(99) / 1000;
            }
            System.out.printf(
                    "  %-9s p50 %6.2f ms [%s]   p99 %6.2f ms [%s]   (%.1f hits per query)%n",
                    r.name,
                    Stats.median(p50),
                    Stats.range(p50),
                    Stats.median(p99),
                    Stats.range(p99),
                    hits / (100.0 * rounds));
        }
    }

    private static void footprint(List<BenchRunner> runners) throws Exception {
        Thread.sleep(10_000);
        System.out.println("runner idle RSS 10 s after the last request, store loaded (5 samples, 1 s apart):");
        for (BenchRunner r : runners) {
            double[] rss = new double[5];
            double[] anon = new double[5];
            for (int i = 0; i < rss.length; i++) {
                double[] sample = r.rss();
                rss[i] = sample[0];
                anon[i] = sample[1];
                Thread.sleep(1000);
            }
            System.out.printf(
                    "  history %-9s RSS %.1f MiB [%s]   private %.1f MiB [%s]%n",
                    r.name, Stats.median(rss), Stats.range(rss), Stats.median(anon), Stats.range(anon));
        }
    }
}
