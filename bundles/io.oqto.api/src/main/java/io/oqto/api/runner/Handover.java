package io.oqto.api.runner;

import java.io.IOException;
import java.net.Socket;

/**
 * A reply that came with an open connection, from {@link RunnerGateway#handOver}: the connection is the caller's to
 * use and close.
 *
 * @since 3.2
 */
public record Handover<R>(R reply, Socket connection) implements AutoCloseable {

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
