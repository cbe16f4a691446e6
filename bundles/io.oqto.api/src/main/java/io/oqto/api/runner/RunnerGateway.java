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
}
