package io.oqto.mmry.internal;

import io.oqto.api.unix.KeyReference;
import io.oqto.runner.spi.memory.Memory;
import io.oqto.runner.spi.memory.MemoryDraft;
import io.oqto.runner.spi.memory.MemoryException;
import io.oqto.runner.spi.memory.MemoryPage;
import io.oqto.runner.spi.memory.MemorySearch;
import io.oqto.runner.spi.memory.MemoryStore;
import io.oqto.runner.spi.memory.SearchMode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The runner's {@code mmry} memory store: the user's mmry daemon at {@code [memory] mmry_url}, with its key read from
 * {@code [memory] mmry_key} (a file only the user can read, or an environment variable) at each change of the
 * configuration. Used when {@code [memory] store = "mmry"}.
 */
@Component(
        service = MemoryStore.class,
        configurationPid = "oqto.memory",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MmryConfig.class)
public final class MmryComponent implements MemoryStore {

    private volatile MmryStore store;
    private volatile @Nullable String keyProblem;

    @Activate
    public MmryComponent(MmryConfig config) {
        this.store = configure(config);
    }

    @Modified
    void modified(MmryConfig config) {
        store = configure(config);
    }

    private MmryStore configure(MmryConfig config) {
        String key = null;
        keyProblem = null;
        try {
            key = KeyReference.resolve(config.mmryKey());
        } catch (IOException e) {
            keyProblem = "[memory] mmry_key: " + e.getMessage();
        }
        return new MmryStore(new MmryHttp(config.mmryUrl(), key, Duration.ofMillis(config.mmryTimeoutMs())));
    }

    private MmryStore store() throws MemoryException {
        String problem = keyProblem;
        if (problem != null) {
            throw new MemoryException(MemoryException.Kind.UNAVAILABLE, problem);
        }
        return store;
    }

    @Override
    public String kind() {
        return "mmry";
    }

    @Override
    public MemoryPage list(Path workspace, @Nullable String category, @Nullable String tag, int limit, int offset)
            throws MemoryException {
        return store().list(workspace, category, tag, limit, offset);
    }

    @Override
    public Optional<Memory> get(Path workspace, String id) throws MemoryException {
        return store().get(workspace, id);
    }

    @Override
    public Memory create(Path workspace, MemoryDraft draft) throws MemoryException {
        return store().create(workspace, draft);
    }

    @Override
    public Memory update(Path workspace, String id, MemoryDraft change) throws MemoryException {
        return store().update(workspace, id, change);
    }

    @Override
    public boolean delete(Path workspace, String id) throws MemoryException {
        return store().delete(workspace, id);
    }

    @Override
    public MemorySearch search(Path workspace, String query, int limit, SearchMode mode) throws MemoryException {
        return store().search(workspace, query, limit, mode);
    }
}
