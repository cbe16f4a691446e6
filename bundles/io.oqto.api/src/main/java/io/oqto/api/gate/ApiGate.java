package io.oqto.api.gate;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gate every request to {@code /api} passes. The REST API opens it once its endpoint answers and holds it before
 * its endpoint goes away: held, new requests wait (up to the gate's configured time) for it to open again, and are
 * then let through or answered {@code 503} with {@code Retry-After} — never a connection reset, a 404 or a 500 from a
 * half-gone API. A gate starts open, and a hold ends by itself after one whole wait, so an API that never comes
 * back cannot keep it held.
 */
@ProviderType
public interface ApiGate {

    /** Lets requests through (the REST API's endpoint answers now). */
    void open();

    /** New requests wait from now on; the ones already through go on. */
    void hold();

    /**
     * Waits up to {@code timeout} until no request is through the gate (after {@link #hold()}); true when none is.
     * Requests still running after that are the caller's to end.
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException;
}
