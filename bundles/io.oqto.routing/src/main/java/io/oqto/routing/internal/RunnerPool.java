package io.oqto.routing.internal;

import io.oqto.api.runner.RunnerUnavailableException;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few persistent connections to one runner, used round robin. A slot whose connection broke (runner
 * restarted, socket replaced) is reconnected on next use, so callers never see a stale connection twice.
 */
final class RunnerPool implements Closeable {

    /** Opens a connection; a seam so tests and autostart can wrap it. */
    interface Connector {
        RunnerConnection open(Path socket, int expectedUid, int timeoutMs);
    }

    private final Path socket;
    private final int expectedUid;
    private final int connectTimeoutMs;
    private final Connector connector;
    private final RunnerConnection[] slots;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;

    RunnerPool(Path socket, int expectedUid, int size, int connectTimeoutMs, Connector connector) {
        this.socket = socket;
        this.expectedUid = expectedUid;
        this.connectTimeoutMs = connectTimeoutMs;
        this.connector = connector;
        this.slots = new RunnerConnection[size];
    }

    Path socket() {
        return socket;
    }

    /** A live connection, opening one in the chosen slot when needed. */
    RunnerConnection acquire() {
        int i = Math.floorMod(next.getAndIncrement(), slots.length);
        synchronized (slots) {
            if (closed) {
                throw new RunnerUnavailableException("routing is shutting down");
            }
            RunnerConnection c = slots[i];
            if (c == null || !c.isOpen()) {
                c = connector.open(socket, expectedUid, connectTimeoutMs);
                slots[i] = c;
            }
            return c;
        }
    }

    /**
     * Whether a connection is open now (opening none). Without the lock: {@link #acquire} holds it for a whole connect,
     * which for a runner that is starting takes seconds, and an observer (the metrics) must not wait for that; a slot
     * read a moment late only makes the answer a moment old.
     */
    boolean connected() {
        for (RunnerConnection c : slots) {
            if (c != null && c.isOpen()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        synchronized (slots) {
            closed = true;
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null) {
                    slots[i].close();
                    slots[i] = null;
                }
            }
        }
    }
}
