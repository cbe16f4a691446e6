package io.oqto.runner.protocol;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link RunnerOperation} whose requests may start a subscription: it answers as usual and may then keep
 * sending events on the connection the request came from, until the client unsubscribes or goes away.
 *
 * @since 1.2
 */
@ConsumerType
public interface StreamingOperation extends RunnerOperation {

    /** The reply to one request; events of a subscription it starts go to {@code events}. */
    Frame handle(Frame request, EventChannel events) throws ProtocolException;

    @Override
    default Frame handle(Frame request) throws ProtocolException {
        return handle(request, null);
    }
}
