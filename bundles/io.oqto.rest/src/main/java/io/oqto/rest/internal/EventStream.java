package io.oqto.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerSubscription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-sent-events response fed by a runner subscription. Events arrive on the runner connection's
 * thread and are only queued there (bounded); the HTTP thread writes them. A client reading too slowly
 * loses events, never the control plane's memory: it gets an {@code overflow} event with the count, and
 * can fetch the missed lines from {@code /output?after=}. The last event (exit or end) is never lost.
 */
final class EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

    static final int CAPACITY = 1024;
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);

    /** How a runner event becomes a server-sent event: its {@code id:} (or null), {@code event:} name and data. */
    record Sse(@Nullable String id, String name, Object data) {}

    /** Written and flushed together: under load one flush carries many events. */
    static final int BATCH = 256;

    private final ObjectMapper mapper;
    private final Function<RunnerEvent, List<Sse>> format;
    private final Predicate<RunnerEvent> isLast;
    private final BlockingQueue<RunnerEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private volatile @Nullable RunnerEvent last;
    private volatile boolean closed;
    private boolean resyncOnOverflow;

    /**
     * @param format how a runner event becomes server-sent events
     * @param isLast whether the subscription is over after an event (the process exited for good, the runner ended it)
     */
    EventStream(ObjectMapper mapper, Function<RunnerEvent, List<Sse>> format, Predicate<RunnerEvent> isLast) {
        this.mapper = mapper;
        this.format = format;
        this.isLast = isLast;
    }

    /** For numbered events: a client that overflows the queue gets a {@code resync} and the stream ends. */
    EventStream resyncOnOverflow() {
        resyncOnOverflow = true;
        return this;
    }

    /** Called on the runner connection's thread: never blocks. */
    void offer(RunnerEvent event) {
        if (isLast.test(event)) {
            last = event;
        } else if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Ends the stream within a second (the REST bundle is stopping). */
    void close() {
        closed = true;
    }

    /** Writes events until the last one, the client going away, or {@link #close()}; then unsubscribes. */
    void writeTo(OutputStream out, RunnerSubscription subscription) throws IOException {
        try (subscription) {
            // Sent at once, so the response headers go out now: a client waits for them before it reads,
            // and an idle session might otherwise send nothing for the first 15 s.
            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            long quietSince = System.nanoTime();
            while (!closed) {
                RunnerEvent event = queue.poll(1, TimeUnit.SECONDS);
                long lost = dropped.getAndSet(0);
                if (lost > 0 && resyncOnOverflow) {
                    // Numbered events: end here, the client reconnects with Last-Event-ID and the runner replays.
                    write(
                            out,
                            new Sse(
                                    null,
                                    "resync",
                                    Map.of(
                                            "reason",
                                            "this client read too slowly",
                                            "dropped_events",
                                            lost,
                                            "reconnect",
                                            "with Last-Event-ID: the id of the last event received")));
                    out.flush();
                    return;
                }
                if (lost > 0) {
                    write(out, "overflow", Map.of("dropped_events", lost));
                }
                if (event == null && last != null && queue.isEmpty()) {
                    writeAll(out, last);
                    out.flush();
                    return;
                }
                if (event != null) {
                    List<RunnerEvent> batch = new ArrayList<>();
                    batch.add(event);
                    queue.drainTo(batch, BATCH - 1);
                    for (RunnerEvent e : batch) {
                        writeAll(out, e);
                    }
                    out.flush();
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > KEEPALIVE_NANOS) {
                    // A comment line: keeps proxies from closing an idle stream, and finds a client that left.
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    quietSince = System.nanoTime();
                }
            }
            // Closed here (the REST API is being updated or stopped): the client is told to come back, and its
            // reconnect (Last-Event-ID for numbered events) is held at the gate until the API answers again.
            write(
                    out,
                    "reconnect",
                    new java.util.TreeMap<>(Map.of(
                            "reason",
                            "the server's API is being updated or stopped",
                            "reconnect",
                            "with Last-Event-ID: the id of the last event received")));
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // The client went away (closed the tab, dropped the connection): the usual end of a stream, not an
            // error. Thrown on, CXF and the problem mapper logged it with a stack trace.
            LOG.debug("event stream ended: the client went away ({})", gone.toString());
        }
    }

    private void writeAll(OutputStream out, RunnerEvent event) throws IOException {
        for (Sse e : format.apply(event)) {
            write(out, e);
        }
    }

    private void write(OutputStream out, String type, Map<String, Object> event) throws IOException {
        write(out, new Sse(null, type, event));
    }

    private void write(OutputStream out, Sse e) throws IOException {
        String id = e.id() == null ? "" : "id: " + e.id() + "\n";
        out.write((id + "event: " + e.name() + "\ndata: " + mapper.writeValueAsString(e.data()) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
