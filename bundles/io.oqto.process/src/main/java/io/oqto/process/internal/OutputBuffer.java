package io.oqto.process.internal;

import io.oqto.runner.spi.SequencedBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last lines a process wrote, numbered: a {@link SequencedBuffer} of lines, each cut at
 * {@link #MAX_LINE_CHARS}. When full, the oldest lines are dropped and a reader asking for them learns how
 * many it missed, instead of the runner growing without limit.
 */
final class OutputBuffer {

    /** One numbered line; {@code stream} is {@code stdout} or {@code stderr}. */
    record Line(long seq, String stream, String text) {

        /** As the protocol sends it: {@code {seq, stream, text}}. */
        Map<String, Object> wire() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", seq);
            m.put("stream", stream);
            m.put("text", text);
            return m;
        }
    }

    static final int MAX_LINE_CHARS = 16 * 1024;

    private final SequencedBuffer<Line> lines;

    OutputBuffer(int capacity) {
        lines = new SequencedBuffer<>(capacity);
    }

    void add(String stream, String text) {
        String t = text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) + "…" : text;
        lines.append(seq -> new Line(seq, stream, t));
    }

    /** Up to {@code max} lines numbered after {@code after}, and how many of those were dropped. */
    SequencedBuffer.Slice<Line> after(long after, int max) {
        return lines.after(after, max);
    }

    /** Waits up to {@code timeoutMs} for a line numbered after {@code seq}; returns whether there is one. */
    boolean await(long seq, long timeoutMs) throws InterruptedException {
        return lines.await(seq, timeoutMs);
    }

    /** The texts of the last {@code n} lines still kept, oldest first. */
    List<String> tail(int n) {
        List<Line> all = lines.after(Math.max(0, lines.lastSeq() - n), n).items();
        return all.stream().map(Line::text).toList();
    }

    static List<Map<String, Object>> wire(List<Line> lines) {
        return lines.stream().map(Line::wire).toList();
    }
}
