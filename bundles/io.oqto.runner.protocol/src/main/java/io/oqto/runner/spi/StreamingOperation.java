package io.oqto.runner.spi;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link RunnerOperation} some of whose requests open a subscription. The operation only says what to send
 * ({@link EventFeed}); the runner's socket server owns the subscription: it answers {@code subscribed}, bounds
 * how many are open, pushes the feed's events on the connection the request came from, and ends it on
 * {@code unsubscribe}, when the connection closes, or when this operation goes away ({@code subscription_ended}
 * with reason {@code runner stopping}).
 */
@ConsumerType
public interface StreamingOperation extends RunnerOperation {

    /** The request types (among {@link #types()}) that open a subscription, e.g. {@code subscribe_output}. */
    Set<String> subscribingTypes();

    /** The feed for one subscribing request; a ProtocolException refuses it (nothing is opened). */
    EventFeed subscribe(Frame request) throws ProtocolException;
}
