package io.oqto.memory.internal;

import io.oqto.runner.spi.memory.LexicalRanking;
import io.oqto.runner.spi.memory.Memory;
import io.oqto.runner.spi.memory.MemoryDraft;
import io.oqto.runner.spi.memory.MemoryException;
import io.oqto.runner.spi.memory.MemoryPage;
import io.oqto.runner.spi.memory.MemoryRules;
import io.oqto.runner.spi.memory.MemorySearch;
import io.oqto.runner.spi.memory.MemoryStore;
import io.oqto.runner.spi.memory.SearchMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

/**
 * The memory store on mmry's ledger in each workspace directory: a create appends {@code memory.add}, an update
 * {@code memory.supersede} (the memory gets a new id, as in mmry's ledger, and keeps when it was made), a delete
 * {@code memory.deprecate}; reads fold the ledger into its active view. One writer at a time per runner.
 */
@Component(
        service = MemoryStore.class,
        configurationPid = "oqto.memory",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class LedgerStore implements MemoryStore {

    /** A ledger as last read: its active view and word index, valid while the file keeps its size and time. */
    private record View(long size, long modified, Ledger.Read read, List<Memory> active, LexicalRanking words) {}

    /** The latest views and embedding caches, a few workspace directories' worth. */
    private final Map<Path, View> views = lru();

    private final Map<Path, EmbeddingCache> caches = lru();

    private static <V> Map<Path, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, V> eldest) {
                return size() > 16;
            }
        };
    }

    /** Where semantic and hybrid searches get embeddings; null: none configured. */
    private volatile @Nullable CentralEmbeddings embeddings;

    private volatile boolean rerank;
    private volatile @Nullable String configProblem;

    @Activate
    public LedgerStore(LedgerConfig config) {
        modified(config);
    }

    /** Without a central embeddings service (searches by words). */
    LedgerStore() {}

    /** With {@code embeddings} (null: none) for semantic and hybrid searches. */
    LedgerStore(@Nullable CentralEmbeddings embeddings, boolean rerank) {
        this.embeddings = embeddings;
        this.rerank = rerank;
    }

    @Modified
    void modified(LedgerConfig config) {
        configProblem = null;
        rerank = config.rerank();
        if (config.embeddingsUrl().isEmpty()) {
            embeddings = null;
            return;
        }
        String key = null;
        try {
            key = io.oqto.api.unix.KeyReference.resolve(config.embeddingsKey());
        } catch (java.io.IOException e) {
            configProblem = "[memory] embeddings_key: " + e.getMessage();
        }
        embeddings = new CentralEmbeddings(config.embeddingsUrl(), key, java.time.Duration.ofSeconds(30));
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public synchronized MemoryPage list(
            Path workspace, @Nullable String category, @Nullable String tag, int limit, int offset)
            throws MemoryException {
        Ledger ledger = new Ledger(workspace);
        View view = view(workspace);
        Ledger.Read read = view.read();
        List<Memory> matching = view.active().stream()
                .filter(m -> category == null || category.equals(m.category()))
                .filter(m -> tag == null || m.tags().contains(tag))
                .toList();
        int from = Math.min(offset, matching.size());
        int to = Math.min(matching.size(), from + limit);
        return new MemoryPage(
                List.copyOf(matching.subList(from, to)), matching.size(), offset, limit, problems(ledger, read));
    }

    @Override
    public synchronized Optional<Memory> get(Path workspace, String id) throws MemoryException {
        return active(workspace).stream().filter(m -> m.id().equals(id)).findFirst();
    }

    @Override
    public synchronized Memory create(Path workspace, MemoryDraft draft) throws MemoryException {
        MemoryRules.forCreate(draft);
        String id = Ledger.newMemoryId();
        append(workspace, "memory.add", id, null, draft.content(), tags(draft, List.of()), metadata(draft, null));
        return get(workspace, id).orElseThrow(() -> io("the new memory " + id + " is not in the ledger"));
    }

    @Override
    public synchronized Memory update(Path workspace, String id, MemoryDraft change) throws MemoryException {
        MemoryRules.forUpdate(change);
        Memory old = get(workspace, id).orElseThrow(() -> notFound(id));
        String next = Ledger.newMemoryId();
        append(
                workspace,
                "memory.supersede",
                next,
                id,
                change.content() == null ? old.content() : change.content(),
                tags(change, old.tags()),
                metadata(change, old));
        return get(workspace, next).orElseThrow(() -> io("the new memory " + next + " is not in the ledger"));
    }

    @Override
    public synchronized boolean delete(Path workspace, String id) throws MemoryException {
        if (get(workspace, id).isEmpty()) {
            return false;
        }
        append(workspace, "memory.deprecate", id, null, null, List.of(), Map.of());
        return true;
    }

    @Override
    public synchronized MemorySearch search(Path workspace, String query, int limit, SearchMode mode)
            throws MemoryException {
        View view = view(workspace);
        List<Memory> active = view.active();
        CentralEmbeddings central = embeddings;
        String why = central == null
                ? "no central embeddings service is configured ([memory] embeddings_url): ranked by words"
                : configProblem;
        if (mode != SearchMode.LEXICAL && central != null && why == null) {
            try {
                EmbeddingCache cache = caches.get(workspace);
                if (cache == null || !cache.service().equals(central.baseUrl())) {
                    cache = new EmbeddingCache(workspace, central.baseUrl());
                    caches.put(workspace, cache);
                }
                return new MemorySearch(
                        SemanticRanking.rank(cache, central, rerank, active, view.words(), query, limit, mode),
                        mode,
                        null);
            } catch (java.io.IOException e) {
                why = e.getMessage() + ": ranked by words";
            }
        }
        return new MemorySearch(
                view.words().rank(query, limit), SearchMode.LEXICAL, mode == SearchMode.LEXICAL ? null : why);
    }

    private List<Memory> active(Path workspace) throws MemoryException {
        return view(workspace).active();
    }

    /** The ledger's view, read again only when the file changed (size or time). */
    private View view(Path workspace) throws MemoryException {
        Ledger ledger = new Ledger(workspace);
        long size;
        long modified;
        try {
            boolean exists = java.nio.file.Files.exists(ledger.file());
            size = exists ? java.nio.file.Files.size(ledger.file()) : -1;
            modified = exists
                    ? java.nio.file.Files.getLastModifiedTime(ledger.file()).toMillis()
                    : -1;
        } catch (java.io.IOException e) {
            throw new MemoryException(
                    MemoryException.Kind.IO, "cannot read " + ledger.file() + ": " + e.getMessage(), e);
        }
        View v = views.get(workspace);
        if (v == null || v.size() != size || v.modified() != modified) {
            Ledger.Read read = read(ledger);
            List<Memory> active = ActiveView.of(read.events());
            v = new View(size, modified, read, active, new LexicalRanking(active));
            views.put(workspace, v);
        }
        return v;
    }

    private static Ledger.Read read(Ledger ledger) throws MemoryException {
        try {
            return ledger.read();
        } catch (IOException e) {
            throw new MemoryException(
                    MemoryException.Kind.IO, "cannot read " + ledger.file() + ": " + e.getMessage(), e);
        }
    }

    private static List<String> problems(Ledger ledger, Ledger.Read read) {
        return read.problems().stream().map(p -> p + " of " + ledger.file()).toList();
    }

    private static void append(
            Path workspace,
            String type,
            String memoryId,
            @Nullable String target,
            @Nullable String content,
            List<String> tags,
            Map<String, Object> metadata)
            throws MemoryException {
        Ledger ledger = new Ledger(workspace);
        try {
            ledger.append(type, memoryId, target, content, tags, metadata);
        } catch (IOException e) {
            throw new MemoryException(
                    MemoryException.Kind.IO, "cannot write " + ledger.file() + ": " + e.getMessage(), e);
        }
    }

    private static List<String> tags(MemoryDraft d, List<String> otherwise) {
        List<String> tags = d.tags();
        return tags == null ? otherwise : List.copyOf(new ArrayList<>(new java.util.LinkedHashSet<>(tags)));
    }

    /** The event's metadata: the old memory's, with category and importance (which the ledger has no fields for). */
    private static Map<String, Object> metadata(MemoryDraft d, @Nullable Memory old) {
        Map<String, Object> m = new LinkedHashMap<>(old == null ? Map.of() : old.metadata());
        String category = d.category();
        Integer importance = d.importance();
        m.put("category", category != null ? category : old != null ? old.category() : MemoryRules.DEFAULT_CATEGORY);
        m.put(
                "importance",
                importance != null ? importance : old != null ? old.importance() : MemoryRules.DEFAULT_IMPORTANCE);
        return m;
    }

    private static MemoryException notFound(String id) {
        return new MemoryException(MemoryException.Kind.NOT_FOUND, "no memory " + id);
    }

    private static MemoryException io(String message) {
        return new MemoryException(MemoryException.Kind.IO, message);
    }
}
