package io.oqto.runner.spi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The last {@code capacity} items of a stream, numbered from 1: what process output and agent events are kept
 * in, for replay and for every subscriber's own cursor. Readers ask for the items after the last number they
 * saw and learn how many of those are no longer kept. Memory is bounded by the capacity, whatever the readers
 * do.
 *
 * @param <T> the item, made knowing its number
 */
public final class SequencedBuffer<T> {

    /**
     * Items numbered after a cursor.
     *
     * @param next the cursor to ask after next time
     * @param missed items after the cursor that were no longer kept
     */
    public record Slice<T>(List<T> items, long next, long missed) {}

    private record Entry<T>(long seq, T item) {}

    private final int capacity;
    private final Deque<Entry<T>> entries = new ArrayDeque<>();
    private long lastSeq;

    public SequencedBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Appends the item {@code make} gives for the next number, drops the oldest beyond the capacity, wakes waiters. */
    public synchronized T append(LongFunction<T> make) {
        T item = make.apply(lastSeq + 1);
        entries.addLast(new Entry<>(++lastSeq, item));
        while (entries.size() > capacity) {
            entries.removeFirst();
        }
        notifyAll();
        return item;
    }

    /** The number of the last item appended (0 before the first). */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Up to {@code max} items numbered after {@code after}, oldest first. */
    public synchronized Slice<T> after(long after, int max) {
        long oldest = entries.isEmpty() ? lastSeq + 1 : entries.peekFirst().seq();
        long missed = Math.max(0, oldest - after - 1);
        List<T> out = new ArrayList<>();
        long next = Math.max(after, oldest - 1);
        for (Entry<T> e : entries) {
            if (out.size() == max) {
                break;
            }
            if (e.seq() > after) {
                out.add(e.item());
                next = e.seq();
            }
        }
        return new Slice<>(out, next, missed);
    }

    /** Waits up to {@code timeoutMs} for an item numbered after {@code seq}; returns whether there is one. */
    public synchronized boolean await(long seq, long timeoutMs) throws InterruptedException {
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
