package io.oqto.process.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads a process's output line by line (split on LF only, a trailing CR dropped, UTF-8), never holding
 * more than {@code maxBytes} of one line: a longer line is skipped to its end and reported as such, so a
 * program printing without line breaks cannot fill the runner's memory.
 */
final class LineReader {

    /** Returned instead of a line that was too long. */
    static final String TOO_LONG = new String("[line too long]");

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int end;

    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, {@link #TOO_LONG} (compare by identity) for one over the limit, or null at the end. */
    @Nullable
    String next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        boolean overflow = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return line.size() == 0 && !overflow ? null : finish(line, overflow);
                }
            }
            int start = pos;
            while (pos < end && buf[pos] != '\n') {
                pos++;
            }
            if (!overflow) {
                line.write(buf, start, pos - start);
                if (line.size() > maxBytes) {
                    overflow = true;
                    line.reset();
                }
            }
            if (pos < end) {
                pos++; // the newline
                return finish(line, overflow);
            }
        }
    }

    private static String finish(ByteArrayOutputStream line, boolean overflow) {
        if (overflow) {
            return TOO_LONG;
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
