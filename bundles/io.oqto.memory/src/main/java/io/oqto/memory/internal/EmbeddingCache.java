package io.oqto.memory.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.oqto.runner.protocol.JsonTrees;
import io.oqto.runner.spi.PrivateFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The memories' embeddings next to the ledger, {@code .mmry/embeddings.jsonl} (0600): one line per memory and service,
 * so a memory is sent to the central service once, not at every search. A memory never changes (an update is a new
 * memory), so an entry never goes stale; lines of another service, or unreadable ones, are ignored. Kept in memory
 * too, and read again only when the file changed size (another writer).
 */
final class EmbeddingCache {

    static final String FILE = ".mmry/embeddings.jsonl";
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final String service;
    private final Map<String, float[]> known = new HashMap<>();
    private long readSize = -1;

    EmbeddingCache(Path workspace, String service) {
        this.file = workspace.resolve(FILE);
        this.service = service;
    }

    String service() {
        return service;
    }

    /** Every vector known (a read-only view), the file read again when it changed size since. */
    synchronized Map<String, float[]> read() throws IOException {
        long size = Files.exists(file) ? Files.size(file) : 0;
        if (size != readSize) {
            known.clear();
            known.putAll(readFile());
            readSize = size;
        }
        return java.util.Collections.unmodifiableMap(known);
    }

    private Map<String, float[]> readFile() throws IOException {
        Map<String, float[]> vectors = new HashMap<>();
        if (!Files.exists(file)) {
            return vectors;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try (JsonParser p = JSON.createParser(line)) {
                JsonToken t = p.nextToken();
                if (t != null
                        && JsonTrees.read(p, t) instanceof Map<?, ?> m
                        && service.equals(m.get("service"))
                        && m.get("memory_id") instanceof String id
                        && m.get("vector") instanceof List<?> v) {
                    float[] f = new float[v.size()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = v.get(i) instanceof Number n ? n.floatValue() : 0;
                    }
                    vectors.put(id, f);
                }
            } catch (IOException e) {
                // a line cut off by a crash: that memory is embedded again
            }
        }
        return vectors;
    }

    synchronized void add(Map<String, float[]> vectors) throws IOException {
        if (vectors.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            List<Double> v = new ArrayList<>();
            for (float f : e.getValue()) {
                v.add((double) f);
            }
            StringWriter w = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(w)) {
                JsonTrees.write(g, Map.of("memory_id", e.getKey(), "service", service, "vector", v));
            }
            lines.append(w).append('\n');
        }
        PrivateFiles.append(file, lines.toString());
        known.putAll(vectors);
        readSize = Files.size(file);
    }
}
