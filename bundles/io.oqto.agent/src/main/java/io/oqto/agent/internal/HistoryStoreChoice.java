package io.oqto.agent.internal;

import io.oqto.api.unix.ProgramLookup;
import io.oqto.runner.spi.history.ChosenHistoryStore;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@link ChosenHistoryStore} {@code [history] store} names, which activates that store's component
 * and no other; a changed {@code config.toml} swaps stores without a restart. Every store is installed, but a store
 * that is not chosen loads none of its classes (SQLite's or gRPC's). Sessions keep their turns in the replay queue
 * while no store is there.
 */
// Registered by hand (its properties change with the choice): the capability tells resolvers the stores' requirement is
// met.
@Capability(
        namespace = "osgi.service",
        attribute = "objectClass:List<String>=io.oqto.runner.spi.history.ChosenHistoryStore")
@Component(configurationPid = "oqto.history", configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = HistoryConfig.class)
public final class HistoryStoreChoice {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryStoreChoice.class);

    private final BundleContext context;
    private @Nullable HistoryChoice current;
    private @Nullable ServiceRegistration<ChosenHistoryStore> registration;

    @Activate
    public HistoryStoreChoice(BundleContext context, HistoryConfig config) {
        this.context = context;
        modified(config);
    }

    @Modified
    synchronized void modified(HistoryConfig config) {
        HistoryChoice choice = HistoryChoice.of(config.store(), ProgramLookup.find(config.hstry()) != null);
        if (choice == current) {
            return;
        }
        withdraw();
        current = choice;
        LOG.info("history store: {}", choice.wire());
        if (choice != HistoryChoice.OFF) {
            String store = choice.wire();
            registration = context.registerService(
                    ChosenHistoryStore.class,
                    () -> store,
                    FrameworkUtil.asDictionary(Map.of(ChosenHistoryStore.STORE, store)));
        }
    }

    @Deactivate
    synchronized void deactivate() {
        withdraw();
        current = null;
    }

    private void withdraw() {
        ServiceRegistration<ChosenHistoryStore> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework has withdrawn it already
            }
        }
    }
}
