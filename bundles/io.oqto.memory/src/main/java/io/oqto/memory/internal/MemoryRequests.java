package io.oqto.memory.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.WorkspacePaths;
import io.oqto.runner.spi.memory.Memory;
import io.oqto.runner.spi.memory.MemoryDraft;
import io.oqto.runner.spi.memory.MemoryException;
import io.oqto.runner.spi.memory.MemoryHit;
import io.oqto.runner.spi.memory.MemoryPage;
import io.oqto.runner.spi.memory.MemoryRules;
import io.oqto.runner.spi.memory.MemorySearch;
import io.oqto.runner.spi.memory.MemoryStore;
import io.oqto.runner.spi.memory.SearchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The runner's memory requests: {@code list_memories}, {@code create_memory}, {@code get_memory},
 * {@code update_memory}, {@code delete_memory}, {@code search_memories}, each about the memories of one workspace
 * directory ({@code workspace}, relative to the workspace root, default its root), on the store the configuration
 * chose. Every field is checked here, before the store sees it.
 */
final class MemoryRequests {

    static final Set<String> TYPES =
            Set.of("list_memories", "create_memory", "get_memory", "update_memory", "delete_memory", "search_memories");
    static final int MAX_LIMIT = 100;

    private final Supplier<@Nullable MemoryStore> store;
    private final WorkspacePaths workspace;

    MemoryRequests(Supplier<@Nullable MemoryStore> store, WorkspacePaths workspace) {
        this.store = store;
        this.workspace = workspace;
    }

    Frame handle(Frame r) throws ProtocolException {
        MemoryStore s = store.get();
        if (s == null) {
            throw new ProtocolException(
                    ErrorCode.MEMORY_UNAVAILABLE, "memory is off, or its store is not running ([memory] store)", null);
        }
        Path dir = directory(r);
        try {
            return switch (r.type()) {
                case "list_memories" -> {
                    MemoryPage page = s.list(
                            dir,
                            optionalName(r, "category"),
                            optionalName(r, "tag"),
                            number(r, "limit", 50, 1, MAX_LIMIT),
                            number(r, "offset", 0, 0, Integer.MAX_VALUE));
                    List<Map<String, Object>> out = new ArrayList<>();
                    page.memories().forEach(m -> out.add(describe(m)));
                    yield Frame.of(r.id(), "memory_list")
                            .with("memories", out)
                            .with("total", page.total())
                            .with("offset", page.offset())
                            .with("limit", page.limit())
                            .with("store", s.kind())
                            .with("problems", page.problems());
                }
                case "create_memory" -> reply(r, s.create(dir, draft(r)));
                case "get_memory" -> {
                    String id = MemoryRules.id(text(r, "memory"));
                    yield reply(r, s.get(dir, id).orElseThrow(() -> notFound(id)));
                }
                case "update_memory" -> reply(r, s.update(dir, MemoryRules.id(text(r, "memory")), draft(r)));
                case "delete_memory" -> {
                    String id = MemoryRules.id(text(r, "memory"));
                    if (!s.delete(dir, id)) {
                        throw notFound(id);
                    }
                    yield Frame.of(r.id(), "memory_deleted").with("memory", id);
                }
                case "search_memories" -> search(r, s, dir);
                default ->
                    throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "not a memory request: " + r.type(), null);
            };
        } catch (MemoryException e) {
            throw new ProtocolException(
                    switch (e.kind()) {
                        case NOT_FOUND -> ErrorCode.MEMORY_NOT_FOUND;
                        case INVALID -> ErrorCode.INVALID_REQUEST;
                        case UNAVAILABLE -> ErrorCode.MEMORY_UNAVAILABLE;
                        case IO -> ErrorCode.IO_ERROR;
                    },
                    String.valueOf(e.getMessage()),
                    null);
        }
    }

    private Frame search(Frame r, MemoryStore s, Path dir) throws ProtocolException, MemoryException {
        String query = text(r, "query");
        if (query == null || query.isBlank()) {
            throw invalid("\"query\" is required: the words to look for");
        }
        if (query.length() > MemoryRules.MAX_CONTENT) {
            throw invalid("\"query\" is longer than " + MemoryRules.MAX_CONTENT + " characters");
        }
        SearchMode mode = mode(r);
        MemorySearch found = s.search(dir, query, number(r, "limit", 10, 1, MAX_LIMIT), mode);
        List<Map<String, Object>> hits = new ArrayList<>();
        for (MemoryHit h : found.hits()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("memory", describe(h.memory()));
            m.put("score", h.score());
            hits.add(m);
        }
        return Frame.of(r.id(), "memory_hits")
                .with("hits", hits)
                .with("mode", found.mode().wire())
                .with("requested_mode", mode.wire())
                .with("degraded", found.degraded());
    }

    /** The directory whose memories are meant, confined to the workspace; it must exist. */
    private Path directory(Frame r) throws ProtocolException {
        Object v = r.fields().getOrDefault("workspace", ".");
        if (!(v instanceof String requested)) {
            throw invalid("\"workspace\" must be a path relative to the workspace");
        }
        Path dir = workspace.existing(requested);
        if (!Files.isDirectory(dir)) {
            throw new ProtocolException(ErrorCode.NOT_A_DIRECTORY, requested + " is not a directory", null);
        }
        return dir;
    }

    private static MemoryDraft draft(Frame r) throws ProtocolException {
        List<String> tags = null;
        Object t = r.fields().get("tags");
        if (t != null) {
            if (!(t instanceof List<?> list)) {
                throw invalid("\"tags\" must be a list of names");
            }
            tags = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw invalid("\"tags\" must be a list of names");
                }
                tags.add(s);
            }
        }
        Object importance = r.fields().get("importance");
        if (importance != null && !(importance instanceof Integer || importance instanceof Long)) {
            throw invalid("\"importance\" must be from 1 to 10");
        }
        Object content = r.fields().get("content");
        if (content != null && !(content instanceof String)) {
            throw invalid("\"content\" must be text");
        }
        return new MemoryDraft(
                (String) content,
                text(r, "category"),
                tags,
                importance == null
                        ? null
                        // Kept out of int overflow; MemoryRules refuses anything outside 1-10.
                        : (int) Math.max(0, Math.min(11, ((Number) importance).longValue())));
    }

    private static SearchMode mode(Frame r) throws ProtocolException {
        String m = text(r, "mode");
        if (m == null) {
            return SearchMode.HYBRID;
        }
        try {
            return SearchMode.valueOf(m.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("\"mode\" must be lexical, semantic or hybrid");
        }
    }

    static Map<String, Object> describe(Memory m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", m.id());
        d.put("memory_type", m.memoryType());
        d.put("content", m.content());
        d.put("category", m.category());
        d.put("tags", m.tags());
        d.put("importance", m.importance());
        d.put("metadata", m.metadata());
        d.put("created_at", Instant.ofEpochMilli(m.createdAtMs()).toString());
        d.put("updated_at", Instant.ofEpochMilli(m.updatedAtMs()).toString());
        return d;
    }

    private static Frame reply(Frame r, Memory m) {
        return Frame.of(r.id(), "memory").with("memory", describe(m));
    }

    private static @Nullable String text(Frame r, String key) throws ProtocolException {
        Object v = r.fields().get(key);
        if (v != null && !(v instanceof String)) {
            throw invalid("\"" + key + "\" must be text");
        }
        return (String) v;
    }

    private static @Nullable String optionalName(Frame r, String key) throws ProtocolException {
        String v = text(r, key);
        if (v != null && !v.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw invalid("\"" + key + "\" must be 1-64 of A-Z, a-z, 0-9 and . _ -");
        }
        return v;
    }

    private static int number(Frame r, String key, int dflt, int min, int max) throws ProtocolException {
        return (int) r.whole(key, dflt, min, max);
    }

    private static ProtocolException notFound(String id) {
        return new ProtocolException(ErrorCode.MEMORY_NOT_FOUND, "no memory " + id, null);
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, message, null);
    }
}
