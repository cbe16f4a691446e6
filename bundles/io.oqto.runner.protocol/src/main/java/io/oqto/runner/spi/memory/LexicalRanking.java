package io.oqto.runner.spi.memory;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ranks memories by the words of a query with BM25 (k1 1.2, b 0.75) over each memory's content, tags and category:
 * rare words weigh more, repeated words saturate, long memories are not favoured. Words are lower-cased letters and
 * digits, accents folded, so "Zürich" finds "zurich". Shared by the stores that rank by themselves (the ledger, and the
 * mmry connector, whose daemon offers no search over HTTP), so both rank alike.
 */
public final class LexicalRanking {

    private static final double K1 = 1.2;
    private static final double B = 0.75;

    public static List<String> words(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        for (String w : folded.split("[^\\p{L}\\p{N}]+", -1)) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    /** The memories that contain a word of {@code query}, best first (ties: newest first), at most {@code limit}. */
    public static List<MemoryHit> rank(List<Memory> memories, String query, int limit) {
        return new LexicalRanking(memories).rank(query, limit);
    }

    private final List<Memory> memories;
    private final List<Map<String, Integer>> counts;
    private final int[] lengths;
    private final double averageLength;
    /** For each word, how many memories have it. */
    private final Map<String, Integer> documentFrequency = new HashMap<>();

    /**
     * The memories' words counted once, so that a store that keeps this (while its memories do not change) ranks each
     * query without reading every memory again.
     */
    public LexicalRanking(List<Memory> memories) {
        this.memories = List.copyOf(memories);
        this.counts = new ArrayList<>(memories.size());
        this.lengths = new int[memories.size()];
        long total = 0;
        for (int i = 0; i < memories.size(); i++) {
            Memory m = memories.get(i);
            List<String> ws = words(m.content() + " " + String.join(" ", m.tags()) + " " + m.category());
            Map<String, Integer> c = new HashMap<>();
            for (String w : ws) {
                c.merge(w, 1, Integer::sum);
            }
            c.keySet().forEach(w -> documentFrequency.merge(w, 1, Integer::sum));
            counts.add(c);
            lengths[i] = ws.size();
            total += ws.size();
        }
        this.averageLength = Math.max(1.0, memories.isEmpty() ? 1.0 : (double) total / memories.size());
    }

    /** The memories that contain a word of {@code query}, best first (ties: newest first), at most {@code limit}. */
    public List<MemoryHit> rank(String query, int limit) {
        List<String> terms = words(query).stream().distinct().toList();
        if (terms.isEmpty() || memories.isEmpty()) {
            return List.of();
        }
        List<MemoryHit> hits = new ArrayList<>();
        for (int i = 0; i < memories.size(); i++) {
            double score = 0;
            for (String t : terms) {
                int tf = counts.get(i).getOrDefault(t, 0);
                if (tf == 0) {
                    continue;
                }
                int df = documentFrequency.getOrDefault(t, 1);
                double idf = Math.log(1 + (memories.size() - df + 0.5) / (df + 0.5));
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[i] / averageLength));
            }
            if (score > 0) {
                hits.add(new MemoryHit(memories.get(i), score));
            }
        }
        // Stable: among equal scores the view's order (newest first) stays.
        hits.sort(Comparator.comparingDouble(MemoryHit::score).reversed());
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }
}
