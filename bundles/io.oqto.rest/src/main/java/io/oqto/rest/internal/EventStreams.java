package io.oqto.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.api.metrics.Gauge;
import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerSubscription;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

/**
 * The server-sent-event responses the REST API has open (process output, session events): one place that
 * makes them, bounds them per user, and ends them all when the bundle stops.
 */
final class EventStreams {

    /**
     * Open streams one platform user may have at once. Each holds a Jetty thread and a runner subscription
     * (a runner thread) while open, so one user's tabs or a leaking script must not starve the others.
     */
    static final int MAX_PER_USER = 64;

    private final ObjectMapper mapper;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();

    EventStreams(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    EventStream newStream(Function<RunnerEvent, List<EventStream.Sse>> format, Predicate<RunnerEvent> isLast) {
        return new EventStream(mapper, format, isLast);
    }

    /**
     * The response that writes {@code stream} until it ends, for {@code user}'s runner subscription made by
     * {@code subscribe}; the subscription ends with the stream (its last event, the client gone, or
     * {@link #closeAll()}). Beyond {@link #MAX_PER_USER} open streams the user gets {@code 429 busy} and the
     * runner is not asked.
     */
    Response open(String user, EventStream stream, Function<Consumer<RunnerEvent>, RunnerSubscription> subscribe) {
        AtomicInteger count = perUser.computeIfAbsent(user, u -> new AtomicInteger());
        if (count.incrementAndGet() > MAX_PER_USER) {
            count.decrementAndGet();
            throw new ApiProblem(
                    429,
                    "busy",
                    "Too many event streams",
                    user + " already has " + MAX_PER_USER
                            + " event streams open (the limit per user): close one first");
        }
        RunnerSubscription subscription;
        try {
            subscription = subscribe.apply(stream::offer);
        } catch (RuntimeException e) {
            count.decrementAndGet();
            throw e;
        }
        open.add(stream);
        StreamingOutput body = out -> {
            try {
                stream.writeTo(out, subscription);
            } finally {
                open.remove(stream);
                count.decrementAndGet();
            }
        };
        return Response.ok(body, "text/event-stream")
                .header("Cache-Control", "no-cache")
                .build();
    }

    /** Open streams of {@code user}, for tests and status. */
    int openStreams(String user) {
        AtomicInteger c = perUser.get(user);
        return c == null ? 0 : c.get();
    }

    /** The open streams, all users together, as the gauge {@code oqto_sse_clients}. */
    Gauge gauge() {
        return new Gauge() {
            @Override
            public String name() {
                return "oqto_sse_clients";
            }

            @Override
            public String help() {
                return "Server-sent-event streams open (session events and process output), all users";
            }

            @Override
            public double value() {
                return open.size();
            }
        };
    }

    /** Ends every open stream (the bundle is stopping). */
    void closeAll() {
        open.forEach(EventStream::close);
    }
}
