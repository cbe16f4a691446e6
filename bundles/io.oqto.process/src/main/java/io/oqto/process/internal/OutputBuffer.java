package io.oqto.process.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last lines a process wrote, numbered. Bounded: when full, the oldest lines are dropped and a
 * reader asking for them learns how many it missed, instead of the runner growing without limit.
 */
final class OutputBuffer {

    record Line(long seq, String stream, String text) {
    }

    /** Lines after a sequence number, and how many a reader missed because they were dropped. */
    record Slice(List<Line> lines, long next, long dropped) {

        /** The lines as the protocol sends them: {@code [{seq, stream, text}]}. */
        List<java.util.Map<String, Object>> wire() {
            List<java.util.Map<String, Object>> out = new ArrayList<>();
            for (Line l : lines) {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("seq", l.seq());
                m.put("stream", l.stream());
                m.put("text", l.text());
                out.add(m);
            }
            return out;
        }
    }

    static final int MAX_LINE_CHARS = 16 * 1024;

    private final int capacity;
    private final Deque<Line> lines = new ArrayDeque<>();
    private long nextSeq = 1;

    OutputBuffer(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(String stream, String text) {
        String t = text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) + "…" : text;
        lines.addLast(new Line(nextSeq++, stream, t));
        while (lines.size() > capacity) {
            lines.removeFirst();
        }
        notifyAll();
    }

    /** Waits up to {@code timeoutMs} for a line numbered after {@code seq}; returns whether there is one. */
    synchronized boolean await(long seq, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (nextSeq - 1 <= seq) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Up to {@code max} lines with a sequence number greater than {@code after}. */
    synchronized Slice after(long after, int max) {
        long oldest = lines.isEmpty() ? nextSeq : lines.peekFirst().seq();
        long dropped = Math.max(0, oldest - after - 1);
        List<Line> out = new ArrayList<>();
        for (Line l : lines) {
            if (l.seq() > after && out.size() < max) {
                out.add(l);
            }
        }
        long next = out.isEmpty() ? Math.max(after, oldest - 1) : out.get(out.size() - 1).seq();
        return new Slice(out, next, dropped);
    }
}
