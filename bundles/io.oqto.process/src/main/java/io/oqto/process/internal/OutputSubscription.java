package io.oqto.process.internal;

import io.oqto.runner.protocol.EventChannel;
import io.oqto.runner.protocol.Frame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Pushes a process's output to one client, on a thread of its own: first what is still buffered after the
 * client's sequence number, then new lines as they come, then an exit event per exit (restarts included).
 * Memory stays bounded however slow the client is: lines are read from the process's ring buffer, never
 * queued per client, and a client that fell so far behind that lines rotated out gets an
 * {@code output_overflow} event saying how many it missed.
 */
final class OutputSubscription implements Runnable {

    static final int BATCH = 500;
    /** How long to wait for the process that a scheduled restart brings. */
    private static final long RESTART_WAIT_MS = 65_000;

    private final String id;
    private final EventChannel channel;
    private final Function<String, ManagedProcess> lookup;
    private final Runnable onEnd;
    private ManagedProcess watched;
    private long cursor;
    private volatile String cancelled;
    private Thread thread;

    OutputSubscription(String id, ManagedProcess process, long after, EventChannel channel,
            Function<String, ManagedProcess> lookup, Runnable onEnd) {
        this.id = id;
        this.watched = process;
        this.cursor = after;
        this.channel = channel;
        this.lookup = lookup;
        this.onEnd = onEnd;
    }

    void start() {
        thread = new Thread(this, "oqto-subscription " + watched.id());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Ends the subscription; its thread sends a last {@code subscription_ended}. Waits a bounded time: a
     * thread stuck writing to a client that does not read ends when that connection closes.
     */
    void cancel(String reason) throws InterruptedException {
        cancelled = reason;
        if (thread != null) {
            thread.interrupt();
            thread.join(2000);
        }
    }

    @Override
    public void run() {
        try {
            while (cancelled == null && channel.isOpen()) {
                if (deliver()) {
                    continue;
                }
                if (!watched.running() && !watched.output().await(cursor, 0)) {
                    if (!exited()) {
                        return;
                    }
                } else {
                    watched.output().await(cursor, 250);
                }
            }
        } catch (InterruptedException e) {
            // cancelled
        } finally {
            if (cancelled != null) {
                Thread.interrupted();
                channel.send(event("subscription_ended").with("reason", cancelled));
            }
            onEnd.run();
        }
    }

    /** Sends what is buffered after the cursor (up to a batch); returns whether there was anything. */
    private boolean deliver() {
        OutputBuffer.Slice s = watched.output().after(cursor, BATCH);
        if (s.dropped() > 0) {
            channel.send(event("output_overflow").with("dropped", s.dropped()).with("resumed_after", cursor + s.dropped()));
        }
        if (s.lines().isEmpty()) {
            cursor = Math.max(cursor, s.next());
            return false;
        }
        List<Map<String, Object>> lines = s.wire();
        cursor = s.next();
        channel.send(event("output").with("lines", lines));
        return true;
    }

    /** Reports an exit; returns whether to go on (a restart follows and has started). */
    private boolean exited() throws InterruptedException {
        boolean restarting;
        try {
            restarting = watched.restarting().get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            restarting = false;
        }
        channel.send(event("process_exited").with("exit_code", watched.exitCode()).with("exit_signal", watched.exitSignal())
                .with("restarts", watched.restarts()).with("restarting", restarting));
        if (!restarting) {
            return false;
        }
        long deadline = System.nanoTime() + RESTART_WAIT_MS * 1_000_000;
        ManagedProcess old = watched;
        while (cancelled == null && System.nanoTime() < deadline) {
            ManagedProcess now = lookup.apply(old.id());
            if (now != old && now != null && now.output() == old.output()) {
                watched = now;
                return true;
            }
            if (now != old || old.stopRequested()) {
                return false;
            }
            old.output().await(cursor, 50);
            deliver();
        }
        return false;
    }

    private Frame event(String type) {
        return new Frame(null, type, new LinkedHashMap<>()).with("subscription", id).with("name", watched.id());
    }
}
