package io.oqto.runner.spi.history;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which history store {@code [history] store} chose, registered by the runner as a service with {@link #STORE} set
 * to the store's name. Every store is installed in the runner, and each store's component references this service
 * with a target on its own name, so only the chosen one is active; a changed choice swaps them without a restart
 * and without installing anything.
 */
@ProviderType
public interface ChosenHistoryStore {

    /** The service property naming the chosen store: {@value #EMBEDDED} or {@value #HSTRY}. */
    String STORE = "oqto.history.store";

    String EMBEDDED = "embedded";

    String HSTRY = "hstry";

    /** The chosen store's name, as in {@link #STORE}. */
    String store();
}
