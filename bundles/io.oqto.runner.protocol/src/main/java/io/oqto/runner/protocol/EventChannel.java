package io.oqto.runner.protocol;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The connection a subscription was made on, as a {@link StreamingOperation} sees it: events go out on it
 * (with a {@code null} id and a {@code subscription} field naming the subscribing request), and it tells
 * when the client has gone.
 *
 * @since 1.2
 */
@ProviderType
public interface EventChannel {

    /**
     * Sends one event. Blocks while the client is not reading (call it from the subscription's own thread);
     * returns false once the connection is closed.
     */
    boolean send(Frame event);

    /** Whether the connection is still open. */
    boolean isOpen();
}
