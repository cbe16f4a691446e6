package io.oqto.process.internal;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.SequencedBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A process's output for one subscriber: first what is still buffered after the subscriber's sequence number,
 * then new lines as they come, then an exit event per exit; across a restart it follows the restarted process
 * (which writes to the same buffer), and after the final exit it is over. Lines are read from the process's
 * buffer with this feed's cursor, never queued per subscriber: one that fell so far behind that lines were
 * dropped gets an {@code output_overflow} saying how many it missed.
 */
final class OutputFeed implements EventFeed {

    static final int BATCH = 500;
    /** How long to wait for the process that a scheduled restart brings. */
    private static final long RESTART_WAIT_MS = 65_000;

    private final Function<String, ManagedProcess> lookup;
    private final Runnable onClose;
    private ManagedProcess watched;
    private long cursor;
    /** Set while a restart is awaited: when to give up. */
    private long restartDeadline;

    private boolean over;

    OutputFeed(ManagedProcess process, long after, Function<String, ManagedProcess> lookup, Runnable onClose) {
        this.watched = process;
        this.cursor = after;
        this.lookup = lookup;
        this.onClose = onClose;
    }

    @Override
    public Map<String, Object> replyFields() {
        return Map.of("name", watched.id());
    }

    @Override
    public @Nullable List<Frame> next(long waitMillis) throws InterruptedException {
        if (over) {
            return null;
        }
        List<Frame> events = new ArrayList<>();
        if (lines(events)) {
            return events;
        }
        if (restartDeadline != 0) {
            followRestart();
        } else if (!watched.running() && !watched.output().await(cursor, 0)) {
            events.add(exited());
        } else {
            watched.output().await(cursor, Math.min(waitMillis, 250));
        }
        return events;
    }

    @Override
    public void close() {
        onClose.run();
    }

    /** Adds what is buffered after the cursor (up to a batch); returns whether there were lines. */
    private boolean lines(List<Frame> events) {
        SequencedBuffer.Slice<OutputBuffer.Line> s = watched.output().after(cursor, BATCH);
        if (s.missed() > 0) {
            events.add(event("output_overflow").with("dropped", s.missed()).with("resumed_after", cursor + s.missed()));
        }
        cursor = s.next();
        if (s.items().isEmpty()) {
            return !events.isEmpty();
        }
        events.add(event("output").with("lines", OutputBuffer.wire(s.items())));
        return true;
    }

    /** The exit event; whether a restart follows decides whether the feed goes on. */
    private Frame exited() throws InterruptedException {
        boolean restarting;
        try {
            restarting = watched.restarting().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            restarting = false;
        }
        if (restarting) {
            restartDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESTART_WAIT_MS);
        } else {
            over = true;
        }
        return event("process_exited")
                .with("exit_code", watched.exitCode())
                .with("exit_signal", watched.exitSignal())
                .with("restarts", watched.restarts())
                .with("restarting", restarting);
    }

    /** Switches to the restarted process once it runs; gives up when it was stopped instead or never came. */
    private void followRestart() throws InterruptedException {
        ManagedProcess now = lookup.apply(watched.id());
        if (now != watched && now != null && now.output() == watched.output()) {
            watched = now;
            restartDeadline = 0;
        } else if (now != watched || watched.stopRequested() || System.nanoTime() > restartDeadline) {
            over = true;
        } else {
            watched.output().await(cursor, 50);
        }
    }

    private Frame event(String type) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", watched.id());
        return new Frame(null, type, fields);
    }
}
