package io.oqto.runner.server.internal;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.StreamingOperation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open subscription and its push loop, on a thread of its own: pulls its feed's events and writes them to
 * its connection, where a slow client blocks only this thread. Ended by {@link #cancel} (with a last
 * {@code subscription_ended} when there is a reason to tell), by the feed running out, or by the connection.
 */
final class Subscription implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);
    /** How long one wait for events lasts: the loop notices a closed connection at least this often. */
    private static final long WAIT_MS = 1000;
    /** How long ending waits for a loop stuck writing to a client that does not read (its connection then closes). */
    private static final long END_WAIT_MS = 2000;

    private final String id;
    private final String type;
    private final StreamingOperation operation;
    private final ClientConnection connection;
    private final EventFeed feed;
    private final Runnable onEnd;
    private volatile boolean cancelled;
    private volatile @Nullable String reason;
    private final Thread thread;

    Subscription(
            String id,
            String type,
            StreamingOperation operation,
            ClientConnection connection,
            EventFeed feed,
            Runnable onEnd) {
        this.id = id;
        this.type = type;
        this.operation = operation;
        this.connection = connection;
        this.feed = feed;
        this.onEnd = onEnd;
        this.thread = new Thread(this, "oqto-subscription " + type + " " + id);
        thread.setDaemon(true);
    }

    String type() {
        return type;
    }

    StreamingOperation operation() {
        return operation;
    }

    ClientConnection connection() {
        return connection;
    }

    void start() {
        thread.start();
    }

    /** Ends it; {@code why} (unless null) is sent as the reason of a last {@code subscription_ended}. */
    void cancel(@Nullable String why) {
        reason = why;
        cancelled = true;
        thread.interrupt();
    }

    void awaitEnd() throws InterruptedException {
        thread.join(END_WAIT_MS);
    }

    @Override
    public void run() {
        try {
            while (!cancelled && connection.isOpen()) {
                List<Frame> events = feed.next(WAIT_MS);
                if (events == null) {
                    return;
                }
                for (Frame e : events) {
                    if (!connection.send(event(e.type(), e.fields()))) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            // cancelled
        } catch (RuntimeException e) {
            LOG.error("subscription {} ({}) failed", id, type, e);
            reason = "internal error";
        } finally {
            if (reason != null) {
                Thread.interrupted();
                connection.send(event("subscription_ended", Map.of("reason", reason)));
            }
            try {
                feed.close();
            } finally {
                onEnd.run();
            }
        }
    }

    private Frame event(String eventType, Map<String, Object> fields) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("subscription", id);
        f.putAll(fields);
        return new Frame(null, eventType, f);
    }
}
