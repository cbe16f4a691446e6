package io.oqto.mmry.internal;

import io.oqto.runner.spi.memory.LexicalRanking;
import io.oqto.runner.spi.memory.Memory;
import io.oqto.runner.spi.memory.MemoryDraft;
import io.oqto.runner.spi.memory.MemoryException;
import io.oqto.runner.spi.memory.MemoryPage;
import io.oqto.runner.spi.memory.MemoryRules;
import io.oqto.runner.spi.memory.MemorySearch;
import io.oqto.runner.spi.memory.MemoryStore;
import io.oqto.runner.spi.memory.SearchMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Memories in the user's mmry daemon, one mmry store per workspace directory ({@link StoreNames}). mmry's list has no
 * tag filter and counts its whole store, so lists are read whole (100 at a time) and filtered and paged here; its
 * HTTP API has no search in the version read (§3.1), so a search ranks that list by words here (the ranking the
 * ledger uses) and says so. An id that is not a UUID cannot be one of mmry's: not found, without asking.
 */
final class MmryStore implements MemoryStore {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int PAGE = 100;

    private final MmryHttp http;

    MmryStore(MmryHttp http) {
        this.http = http;
    }

    @Override
    public String kind() {
        return "mmry";
    }

    @Override
    public MemoryPage list(Path workspace, @Nullable String category, @Nullable String tag, int limit, int offset)
            throws MemoryException {
        List<Memory> matching = all(StoreNames.of(workspace)).stream()
                .filter(m -> category == null || category.equals(m.category()))
                .filter(m -> tag == null || m.tags().contains(tag))
                .toList();
        int from = Math.min(offset, matching.size());
        int to = Math.min(matching.size(), from + limit);
        return new MemoryPage(List.copyOf(matching.subList(from, to)), matching.size(), offset, limit, List.of());
    }

    @Override
    public Optional<Memory> get(Path workspace, String id) throws MemoryException {
        String store = StoreNames.of(workspace);
        if (!UUID_TEXT.matcher(id).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(memory(http.call("GET", "/v1/memories/" + id + "?store=" + q(store), null)));
        } catch (MemoryException e) {
            if (e.kind() == MemoryException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Memory create(Path workspace, MemoryDraft draft) throws MemoryException {
        MemoryRules.forCreate(draft);
        String store = StoreNames.of(workspace);
        Map<String, Object> body = body(draft, store);
        body.putIfAbsent("category", MemoryRules.DEFAULT_CATEGORY);
        body.putIfAbsent("importance", MemoryRules.DEFAULT_IMPORTANCE);
        return wrapped(http.call("POST", "/v1/memories?store=" + q(store), body));
    }

    @Override
    public Memory update(Path workspace, String id, MemoryDraft change) throws MemoryException {
        MemoryRules.forUpdate(change);
        String store = StoreNames.of(workspace);
        if (get(workspace, id).isEmpty()) {
            throw new MemoryException(MemoryException.Kind.NOT_FOUND, "no memory " + id);
        }
        return wrapped(http.call("PUT", "/v1/memories/" + id + "?store=" + q(store), body(change, store)));
    }

    @Override
    public boolean delete(Path workspace, String id) throws MemoryException {
        if (get(workspace, id).isEmpty()) {
            return false;
        }
        http.call("DELETE", "/v1/memories/" + id + "?store=" + q(StoreNames.of(workspace)), null);
        return true;
    }

    @Override
    public MemorySearch search(Path workspace, String query, int limit, SearchMode mode) throws MemoryException {
        return new MemorySearch(
                LexicalRanking.rank(all(StoreNames.of(workspace)), query, limit),
                SearchMode.LEXICAL,
                mode == SearchMode.LEXICAL
                        ? null
                        : "mmry's HTTP API has no search: its memories are ranked by words here");
    }

    /** The store's memories, newest first. */
    private List<Memory> all(String store) throws MemoryException {
        List<Memory> all = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            Object page =
                    http.call("GET", "/v1/memories?store=" + q(store) + "&limit=" + PAGE + "&offset=" + offset, null);
            List<?> memories = page instanceof Map<?, ?> m && m.get("memories") instanceof List<?> l ? l : List.of();
            for (Object o : memories) {
                all.add(memory(o));
            }
            if (memories.size() < PAGE) {
                break;
            }
        }
        all.sort(Comparator.comparingLong(Memory::createdAtMs).reversed());
        return all;
    }

    private static Map<String, Object> body(MemoryDraft d, String store) {
        Map<String, Object> b = new LinkedHashMap<>();
        if (d.content() != null) {
            b.put("content", d.content());
        }
        if (d.category() != null) {
            b.put("category", d.category());
        }
        if (d.tags() != null) {
            b.put("tags", d.tags());
        }
        if (d.importance() != null) {
            b.put("importance", d.importance());
        }
        b.put("store", store);
        return b;
    }

    private static Memory wrapped(@Nullable Object answer) throws MemoryException {
        return memory(answer instanceof Map<?, ?> m ? m.get("memory") : null);
    }

    /** mmry's Memory JSON (§3.1); a shape that is not one is mmry's fault, said as such. */
    private static Memory memory(@Nullable Object o) throws MemoryException {
        if (!(o instanceof Map<?, ?> m)
                || !(m.get("id") instanceof String id)
                || !(m.get("content") instanceof String c)) {
            throw new MemoryException(MemoryException.Kind.UNAVAILABLE, "mmry answered something that is not a memory");
        }
        List<String> tags = new ArrayList<>();
        if (m.get("tags") instanceof List<?> l) {
            l.forEach(t -> tags.add(String.valueOf(t)));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (m.get("metadata") instanceof Map<?, ?> md) {
            md.forEach((k, v) -> metadata.put(String.valueOf(k), v));
        }
        return new Memory(
                id,
                c,
                m.get("category") instanceof String s ? s : MemoryRules.DEFAULT_CATEGORY,
                List.copyOf(tags),
                m.get("importance") instanceof Number n ? n.intValue() : MemoryRules.DEFAULT_IMPORTANCE,
                m.get("memory_type") instanceof String s ? s : "semantic",
                metadata,
                time(m.get("created_at")),
                time(m.get("updated_at")));
    }

    private static long time(@Nullable Object v) {
        try {
            return v instanceof String s ? Instant.parse(s).toEpochMilli() : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
