package io.oqto.api.runner;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Routes a per-user operation to that user's runner over its Unix socket.
 * Implementations pool connections per runner and never block longer than their configured timeout.
 */
@ProviderType
public interface RunnerGateway {

    /** The runner's own report about itself, fetched over its socket. */
    RunnerStatus status(String platformUser);

    /** One protocol round trip to the runner; returns the measured time. */
    PingResult ping(String platformUser);

    /**
     * Sends one runner-protocol request and returns the reply's fields (its {@code type} included).
     * An error reply becomes a {@link RunnerErrorException} carrying the protocol's error code.
     *
     * @since 1.1
     */
    java.util.Map<String, Object> request(String platformUser, String type, java.util.Map<String, Object> fields);

    /**
     * Like {@link #request(String, String, java.util.Map)}, for a request known to take longer than the
     * configured request timeout (starting a program waits until it is ready).
     *
     * @since 1.2
     */
    java.util.Map<String, Object> request(String platformUser, String type, java.util.Map<String, Object> fields,
            java.time.Duration timeout);

    /**
     * Sends a subscribing request (such as {@code subscribe_output}) and delivers the subscription's events
     * (their {@code type} included) to {@code events}, on a thread that must not be blocked: hand them
     * over, don't process them there. If the runner connection is lost, a last event of type
     * {@code subscription_ended} with reason {@code runner connection lost} is delivered.
     *
     * @since 1.2
     */
    RunnerSubscription subscribe(String platformUser, String type, java.util.Map<String, Object> fields,
            java.util.function.Consumer<java.util.Map<String, Object>> events);
}
