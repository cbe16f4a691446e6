package io.oqto.api.runner;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A subscription made through {@link RunnerGateway#subscribe}: the runner's reply, and a way to end it.
 *
 * @since 1.2
 */
@ProviderType
public interface RunnerSubscription extends AutoCloseable {

    /** The runner's reply to the subscribing request. */
    Subscribed reply();

    /** Ends the subscription; no events are delivered afterwards. Idempotent. */
    @Override
    void close();
}
