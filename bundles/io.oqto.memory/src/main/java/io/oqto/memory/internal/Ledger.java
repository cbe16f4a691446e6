package io.oqto.memory.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.oqto.runner.protocol.JsonTrees;
import io.oqto.runner.spi.PrivateFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * mmry's memory ledger, {@code <workspace>/.mmry/mmry.jsonl} (services-spec §3.3): append-only, one event per line,
 * {@code memory.add}, {@code memory.deprecate} and {@code memory.supersede} (the aliases {@code memory_add} and
 * {@code memory_deprecate} accepted on read). A line that is not such an event is reported with its number and
 * skipped; the lines after it are read. Appends are forced to disk; the file is its user's alone (0600, its directory
 * 0700).
 */
final class Ledger {

    static final String FILE = ".mmry/mmry.jsonl";
    private static final JsonFactory JSON = new JsonFactory();

    /** One event, as read. */
    record Event(
            String type,
            String memoryId,
            @Nullable String targetMemoryId,
            @Nullable String content,
            @Nullable String memoryType,
            List<String> tags,
            Map<String, Object> metadata,
            long timeMs) {}

    /** What the file holds: its events in order, and the lines that are not events ("line 7: …"). */
    record Read(List<Event> events, List<String> problems) {}

    private final Path file;

    Ledger(Path workspace) {
        this.file = workspace.resolve(FILE);
    }

    Path file() {
        return file;
    }

    Read read() throws IOException {
        List<Event> events = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Read(events, problems);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(event(line));
            } catch (IOException | IllegalArgumentException e) {
                problems.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Read(events, problems);
    }

    /** Appends one event for {@code memoryId}, forced to disk. */
    void append(
            String type,
            String memoryId,
            @Nullable String targetMemoryId,
            @Nullable String content,
            List<String> tags,
            Map<String, Object> metadata)
            throws IOException {
        Instant now = Instant.now();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("schema_version", 1);
        e.put("id", "evt_" + UUID.randomUUID());
        e.put("ts", now.toString());
        e.put("type", type);
        e.put("memory_id", memoryId);
        if (targetMemoryId != null) {
            e.put("target_memory_id", targetMemoryId);
        }
        if (content != null) {
            e.put("content", content);
            e.put("memory_type", "semantic");
        }
        e.put("tags", tags);
        e.put("metadata", metadata);
        e.put("agent_ctx", Map.of());
        PrivateFiles.append(file, write(e) + "\n"); // 0600 in a 0700 .mmry from the first byte
    }

    static String newMemoryId() {
        return "mem_" + UUID.randomUUID();
    }

    private static Event event(String line) throws IOException {
        Map<?, ?> m;
        try (JsonParser p = JSON.createParser(line)) {
            JsonToken t = p.nextToken();
            Object v = t == null ? null : JsonTrees.read(p, t);
            if (p.nextToken() != null || !(v instanceof Map<?, ?> map)) {
                throw new IOException("not one JSON object");
            }
            m = map;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("not one JSON object", e); // cut off mid-line, as a crash during a write leaves it
        }
        String type = canonical(text(m, "type"));
        if (!List.of("memory.add", "memory.deprecate", "memory.supersede").contains(type)) {
            throw new IOException("unknown event type \"" + text(m, "type") + "\"");
        }
        String memoryId = text(m, "memory_id");
        if (memoryId.isEmpty()) {
            throw new IOException("no memory_id");
        }
        String content = m.get("content") instanceof String s ? s : null;
        if (!type.equals("memory.deprecate") && (content == null || content.isBlank())) {
            throw new IOException(type + " without content");
        }
        String target = m.get("target_memory_id") instanceof String s ? s : null;
        if (type.equals("memory.supersede") && target == null) {
            throw new IOException("memory.supersede without target_memory_id");
        }
        List<String> tags = new ArrayList<>();
        if (m.get("tags") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof String s) {
                    tags.add(s);
                }
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (m.get("metadata") instanceof Map<?, ?> md) {
            md.forEach((k, v) -> metadata.put(String.valueOf(k), v));
        }
        long time;
        try {
            time = Instant.parse(text(m, "ts")).toEpochMilli();
        } catch (RuntimeException e) {
            throw new IOException("\"ts\" is not an RFC 3339 time");
        }
        String memoryType = m.get("memory_type") instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : null;
        return new Event(type, memoryId, target, content, memoryType, List.copyOf(tags), metadata, time);
    }

    /** The dotted name of an event type, whichever spelling the file uses. */
    static String canonical(String type) {
        return switch (type) {
            case "memory_add" -> "memory.add";
            case "memory_deprecate" -> "memory.deprecate";
            case "memory_supersede" -> "memory.supersede";
            default -> type;
        };
    }

    private static String text(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : "";
    }

    private static String write(Object value) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            JsonTrees.write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }
}
