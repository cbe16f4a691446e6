package io.oqto.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.api.runner.RunnerSubscription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One server-sent-events response fed by a runner subscription. Events arrive on the runner connection's
 * thread and are only queued there (bounded); the HTTP thread writes them. A client reading too slowly
 * loses events, never the control plane's memory: it gets an {@code overflow} event with the count, and
 * can fetch the missed lines from {@code /output?after=}. The last event (exit or end) is never lost.
 */
final class EventStream {

    static final int CAPACITY = 1024;
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final ObjectMapper mapper;
    private final BlockingQueue<Map<String, Object>> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private volatile Map<String, Object> last;
    private volatile boolean closed;

    EventStream(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Called on the runner connection's thread: never blocks. */
    void offer(Map<String, Object> event) {
        if (isLast(event)) {
            last = event;
        } else if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** The subscription is over after this event: the process exited for good, or the runner ended it. */
    static boolean isLast(Map<String, Object> event) {
        return "subscription_ended".equals(event.get("type"))
                || "process_exited".equals(event.get("type")) && Boolean.FALSE.equals(event.get("restarting"));
    }

    /** Ends the stream within a second (the REST bundle is stopping). */
    void close() {
        closed = true;
    }

    /** Writes events until the last one, the client going away, or {@link #close()}; then unsubscribes. */
    void writeTo(OutputStream out, RunnerSubscription subscription) throws IOException {
        try (subscription) {
            long quietSince = System.nanoTime();
            while (!closed) {
                Map<String, Object> event = queue.poll(1, TimeUnit.SECONDS);
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    write(out, "overflow", Map.of("dropped_events", lost));
                }
                if (event == null && last != null && queue.isEmpty()) {
                    write(out, (String) last.get("type"), last);
                    out.flush();
                    return;
                }
                if (event != null) {
                    write(out, (String) event.get("type"), event);
                    out.flush();
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > KEEPALIVE_NANOS) {
                    // A comment line: keeps proxies from closing an idle stream, and finds a client that left.
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    quietSince = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(OutputStream out, String type, Map<String, Object> event) throws IOException {
        out.write(("event: " + type + "\ndata: " + mapper.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
