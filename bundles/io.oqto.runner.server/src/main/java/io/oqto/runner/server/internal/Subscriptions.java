package io.oqto.runner.server.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.StreamingOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Every subscription open on this runner, whichever operation feeds it: opened by a subscribing request,
 * ended by {@code unsubscribe} (reason {@code unsubscribed}), by its connection closing (silently: nobody is
 * there to tell), or by its operation going away or the server stopping (reason {@code runner stopping}).
 * Each subscription is a thread while it is open, so there are at most {@link #MAX_PER_TYPE} of each kind.
 */
final class Subscriptions {

    static final int MAX_PER_TYPE = 256;
    static final String RUNNER_STOPPING = "runner stopping";

    private record Key(ClientConnection connection, String id) {}

    private final Map<Key, Subscription> open = new ConcurrentHashMap<>();

    /** Opens the subscription {@code request} asks {@code operation} for; the reply is {@code subscribed}. */
    Frame open(Frame request, ClientConnection connection, StreamingOperation operation) throws ProtocolException {
        EventFeed feed = operation.subscribe(request);
        String id = request.requestId();
        Key key = new Key(connection, id);
        Subscription s = new Subscription(id, request.type(), operation, connection, feed, () -> open.remove(key));
        synchronized (open) {
            String refused = null;
            if (open.values().stream()
                            .filter(o -> o.type().equals(request.type()))
                            .count()
                    >= MAX_PER_TYPE) {
                refused = "too many " + request.type() + " subscriptions (" + MAX_PER_TYPE + ") on this runner";
            } else if (open.containsKey(key)) {
                refused = "this connection already has a subscription " + request.id();
            }
            if (refused != null) {
                feed.close();
                throw new ProtocolException(
                        refused.startsWith("too many") ? ErrorCode.BUSY : ErrorCode.INVALID_REQUEST,
                        refused,
                        request.id());
            }
            open.put(key, s);
            s.start();
        }
        Frame reply = Frame.of(request.id(), "subscribed").with("subscription", request.id());
        for (Map.Entry<String, Object> f : feed.replyFields().entrySet()) {
            reply = reply.with(f.getKey(), f.getValue());
        }
        return reply;
    }

    /** {@code unsubscribe}: ends one of the connection's subscriptions; its {@code subscription_ended} goes first. */
    Frame unsubscribe(Frame request, ClientConnection connection) throws ProtocolException {
        Object id = request.fields().get("subscription");
        Subscription s = id instanceof String sid ? open.get(new Key(connection, sid)) : null;
        if (s == null) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST, "no subscription " + id + " on this connection", request.id());
        }
        end(List.of(s), "unsubscribed");
        return Frame.of(request.id(), "unsubscribed").with("subscription", id);
    }

    /** The connection closed: its subscriptions end with it. */
    void connectionClosed(ClientConnection connection) {
        end(matching(s -> s.connection() == connection), null);
    }

    /** The operation is going away (its bundle stops or is updated): its subscriptions end first. */
    void operationGone(StreamingOperation operation) {
        end(matching(s -> s.operation() == operation), RUNNER_STOPPING);
    }

    /** The server is stopping. */
    void closeAll() {
        end(matching(s -> true), RUNNER_STOPPING);
    }

    /** Open subscriptions, for status and tests. */
    int size() {
        return open.size();
    }

    private List<Subscription> matching(Predicate<Subscription> which) {
        return new ArrayList<>(open.values().stream().filter(which).toList());
    }

    /** Cancels them all first, then waits for each: n stuck clients cost one wait, not n. */
    private static void end(List<Subscription> subscriptions, @Nullable String reason) {
        subscriptions.forEach(s -> s.cancel(reason));
        try {
            for (Subscription s : subscriptions) {
                s.awaitEnd();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
