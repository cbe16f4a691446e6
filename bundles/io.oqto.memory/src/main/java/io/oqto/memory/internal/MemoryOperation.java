package io.oqto.memory.internal;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.RunnerOperation;
import io.oqto.runner.spi.WorkspacePaths;
import io.oqto.runner.spi.memory.MemoryStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The memory requests on the store {@code [memory] store} names, among the stores running (the ledger here, the mmry
 * connector in its own bundle): a changed setting or a store's bundle coming and going takes effect at the next
 * request, without a restart.
 */
@Component(
        service = RunnerOperation.class,
        configurationPid = "oqto.memory",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MemoryConfig.class)
public final class MemoryOperation implements RunnerOperation {

    private final List<MemoryStore> stores = new CopyOnWriteArrayList<>();
    private final MemoryRequests requests;
    private volatile String chosen;

    @Activate
    public MemoryOperation(@Reference WorkspacePaths workspace, MemoryConfig config) {
        this.chosen = config.store();
        this.requests = new MemoryRequests(this::store, workspace);
    }

    @Modified
    void modified(MemoryConfig config) {
        chosen = config.store();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStore(MemoryStore store) {
        stores.add(store);
    }

    void removeStore(MemoryStore store) {
        stores.remove(store);
    }

    private @Nullable MemoryStore store() {
        String want = chosen;
        return stores.stream().filter(s -> s.kind().equals(want)).findFirst().orElse(null);
    }

    @Override
    public Set<String> types() {
        return MemoryRequests.TYPES;
    }

    @Override
    public Frame handle(Frame request) throws ProtocolException {
        return requests.handle(request);
    }

    @Override
    public Map<String, Object> status() {
        MemoryStore s = store();
        return Map.of("memory", Map.of("store", chosen, "running", s != null));
    }
}
