package io.oqto.runner.spi;

import io.oqto.runner.protocol.Frame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * For the tests of feed-making operations: reads an {@link EventFeed} on a thread of its own, the way the
 * runner server's push loop does, and records its events. It can be held back like a client that stops
 * reading.
 */
public final class FeedRecorder implements AutoCloseable {

    public final List<Frame> events = new CopyOnWriteArrayList<>();
    private final EventFeed feed;
    private final Thread thread;
    private final CountDownLatch held;
    private volatile boolean over;

    public FeedRecorder(EventFeed feed) {
        this(feed, new CountDownLatch(0));
    }

    private FeedRecorder(EventFeed feed, CountDownLatch held) {
        this.feed = feed;
        this.held = held; // before the thread starts: it reads this first
        this.thread = new Thread(this::pump, "feed-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Holds the reader back until {@link #release()}: what the feed sends meanwhile piles up at its source. */
    public static FeedRecorder held(EventFeed feed) {
        return new FeedRecorder(feed, new CountDownLatch(1));
    }

    public void release() {
        held.countDown();
    }

    private void pump() {
        try {
            held.await(30, TimeUnit.SECONDS);
            while (!Thread.currentThread().isInterrupted()) {
                List<Frame> next = feed.next(100);
                if (next == null) {
                    over = true;
                    return;
                }
                events.addAll(next);
            }
        } catch (InterruptedException e) {
            // closed
        } finally {
            feed.close();
        }
    }

    /** Whether the feed said it is over. */
    public boolean over() {
        return over;
    }

    public List<String> types() {
        return events.stream().map(Frame::type).toList();
    }

    /** Waits until {@code count} events of {@code type} came; returns the last of them. */
    public Frame waitFor(String type, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Frame> matching =
                    events.stream().filter(f -> f.type().equals(type)).toList();
            if (matching.size() >= count) {
                return matching.get(count - 1);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + count + "x " + type + " in " + types());
    }

    /** Stops reading and closes the feed, as the server does when a subscription ends. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(5000);
    }
}
