package io.oqto.runner.spi;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import java.io.FileDescriptor;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link RunnerOperation} some of whose replies hand the client an open connection: the runner's socket server
 * sends the reply frame with the connection's descriptor attached (SCM_RIGHTS), then closes its own copy, so the
 * runner is not in the data path afterwards. The client is whoever passed the socket's peer-credential checks.
 *
 * @since 1.3
 */
@ConsumerType
public interface HandoverOperation extends RunnerOperation {

    /** The request types (among {@link #types()}) answered with a handover, e.g. {@code connect_terminal}. */
    Set<String> handoverTypes();

    /** The reply and the connection to hand over; a ProtocolException refuses (nothing is handed over). */
    Handover handover(Frame request) throws ProtocolException;

    /**
     * A reply and the connection it hands over.
     *
     * @param reply the frame sent with the descriptor
     * @param descriptor the open connection to hand over
     * @param owner what holds the descriptor here; closed once it was sent (or could not be), after the server
     *     released the descriptor itself with a plain close, so that closing the owner cannot shut the connection
     *     down for the client
     */
    record Handover(Frame reply, FileDescriptor descriptor, AutoCloseable owner) {}
}
