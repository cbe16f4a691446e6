package io.oqto.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.api.runner.RunnerSubscription;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

/**
 * The server-sent-event responses the REST API has open (process output, session events): one place that
 * makes them and one that ends them all when the bundle stops.
 */
final class EventStreams {

    private final ObjectMapper mapper;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();

    EventStreams(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A stream of runner events written as they are (their type is the SSE event name). */
    EventStream newStream() {
        return new EventStream(mapper);
    }

    EventStream newStream(Function<Map<String, Object>, List<EventStream.Sse>> format, Predicate<Map<String, Object>> isLast) {
        return new EventStream(mapper, format, isLast);
    }

    /** The response that writes {@code stream} until it ends; the subscription ends with it. */
    Response respond(EventStream stream, RunnerSubscription subscription) {
        open.add(stream);
        StreamingOutput body = out -> {
            try {
                stream.writeTo(out, subscription);
            } finally {
                open.remove(stream);
            }
        };
        return Response.ok(body, "text/event-stream").header("Cache-Control", "no-cache").build();
    }

    /** Ends every open stream (the bundle is stopping). */
    void closeAll() {
        open.forEach(EventStream::close);
    }
}
