package io.oqto.agent.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A session's events, numbered from 1, the last {@code capacity} kept for replay. Readers ask for the
 * events after the last number they saw and learn when some of those are no longer kept (they need a
 * resync). Memory is bounded by the capacity whatever the readers do.
 */
final class EventLog {

    /** Events after a sequence number; {@code missed} counts those no longer kept. */
    record Slice(List<AgentEvent> events, long missed, long next) {
    }

    private final int capacity;
    private final Deque<AgentEvent> events = new ArrayDeque<>();
    private long lastSeq;

    EventLog(int capacity) {
        this.capacity = capacity;
    }

    synchronized AgentEvent append(String type, Map<String, Object> data) {
        AgentEvent e = AgentEvent.of(++lastSeq, type, System.currentTimeMillis(), data);
        events.addLast(e);
        while (events.size() > capacity) {
            events.removeFirst();
        }
        notifyAll();
        return e;
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    /** Up to {@code max} events numbered after {@code after}. */
    synchronized Slice after(long after, int max) {
        long oldest = events.isEmpty() ? lastSeq + 1 : events.peekFirst().seq();
        long missed = Math.max(0, oldest - after - 1);
        List<AgentEvent> out = new ArrayList<>();
        for (AgentEvent e : events) {
            if (e.seq() > after && out.size() < max) {
                out.add(e);
            }
        }
        long next = out.isEmpty() ? Math.max(after, oldest - 1) : out.get(out.size() - 1).seq();
        return new Slice(out, missed, next);
    }

    /** Waits up to {@code timeoutMs} for an event numbered after {@code seq}. */
    synchronized boolean await(long seq, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (lastSeq <= seq) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
