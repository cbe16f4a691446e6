package io.oqto.memory.internal;

import io.oqto.runner.spi.memory.LexicalRanking;
import io.oqto.runner.spi.memory.Memory;
import io.oqto.runner.spi.memory.MemoryHit;
import io.oqto.runner.spi.memory.SearchMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranking by meaning: the cosine of each memory's embedding (from the cache next to the ledger, the missing ones
 * fetched from the central service and added to it) with the query's; {@code hybrid} averages it with the lexical
 * score scaled to 0..1. With rerank, the central service reorders the best {@code 3 × limit}.
 */
final class SemanticRanking {

    private SemanticRanking() {}

    static List<MemoryHit> rank(
            EmbeddingCache cache,
            CentralEmbeddings central,
            boolean rerank,
            List<Memory> memories,
            LexicalRanking words,
            String query,
            int limit,
            SearchMode mode)
            throws IOException {
        if (memories.isEmpty()) {
            return List.of();
        }
        Map<String, float[]> known = cache.read();
        List<Memory> missing =
                memories.stream().filter(m -> !known.containsKey(m.id())).toList();
        if (!missing.isEmpty()) {
            List<float[]> fetched =
                    central.embed(missing.stream().map(Memory::content).toList());
            Map<String, float[]> added = new LinkedHashMap<>();
            for (int i = 0; i < missing.size(); i++) {
                added.put(missing.get(i).id(), fetched.get(i));
            }
            cache.add(added);
        }
        Map<String, float[]> vectors = cache.read(); // a view: it has the added ones now
        float[] q = central.embed(List.of(query)).get(0);
        Map<String, Double> lexical = new HashMap<>();
        double best = 0;
        if (mode == SearchMode.HYBRID) {
            for (MemoryHit h : words.rank(query, memories.size())) {
                lexical.put(h.memory().id(), h.score());
                best = Math.max(best, h.score());
            }
        }
        List<MemoryHit> hits = new ArrayList<>();
        for (Memory m : memories) {
            double score = cosine(q, vectors.getOrDefault(m.id(), new float[0]));
            if (mode == SearchMode.HYBRID) {
                score = (score + (best > 0 ? lexical.getOrDefault(m.id(), 0.0) / best : 0)) / 2;
            }
            if (score > 0) {
                hits.add(new MemoryHit(m, score));
            }
        }
        hits.sort(Comparator.comparingDouble(MemoryHit::score).reversed());
        if (rerank && hits.size() > 1) {
            List<MemoryHit> top = new ArrayList<>(hits.subList(0, Math.min(hits.size(), 3 * limit)));
            List<MemoryHit> reordered = new ArrayList<>();
            for (int i : central.rerank(
                    query, top.stream().map(h -> h.memory().content()).toList())) {
                reordered.add(top.get(i));
            }
            hits = reordered;
        }
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
