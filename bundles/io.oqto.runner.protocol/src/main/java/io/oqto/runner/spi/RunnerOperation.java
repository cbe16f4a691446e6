package io.oqto.runner.spi;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A request type a runner serves beyond the core ({@code hello}, {@code ping}, {@code status},
 * {@code unsubscribe}). Bundles register implementations as OSGi services; the runner's socket server
 * dispatches to them on its worker pool, so {@link #handle} may block, and lists their types in
 * {@code welcome.capabilities}.
 */
@ConsumerType
public interface RunnerOperation {

    /** The request types served, e.g. {@code read_file}. */
    Set<String> types();

    /** The reply to one request; a ProtocolException becomes an error frame with its code. */
    Frame handle(Frame request) throws ProtocolException;

    /**
     * Fields this operation adds to the runner's {@code status} reply (such as the sessions' {@code history}); none by
     * default. Called on every status request: it must answer at once.
     *
     * @since 1.2
     */
    default Map<String, Object> status() {
        return Map.of();
    }

    /**
     * What of this operation's must keep the runner running, for people ({@code "2 sessions"}); none by default. A
     * socket-activated runner exits when it has been idle for a while and nothing keeps it: it is started again by the
     * next connection, so only what lives between requests (a process, an agent, a terminal, a write not yet stored)
     * belongs here. Called by the runner's idle check: it must answer at once.
     *
     * @since 1.4
     */
    default List<String> keepsRunning() {
        return List.of();
    }
}
