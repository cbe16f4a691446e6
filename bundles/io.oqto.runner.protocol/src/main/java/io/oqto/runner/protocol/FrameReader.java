package io.oqto.runner.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads newline-terminated lines with a hard size limit, so a peer can never make us buffer more than
 * {@code maxFrameBytes}. An oversized line is skipped up to its newline and reported once, and the
 * stream stays usable for the frames that follow.
 */
public final class FrameReader {

    /** What one call to {@link #next()} found. */
    public sealed interface Line permits Data, Oversized {}

    /** A complete line; {@code bytes[0..length)} is valid until the next call. */
    public static final class Data implements Line {
        private final byte[] bytes;
        private final int length;

        Data(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }

        /** The reader's own buffer: not copied, for speed; read it before the next call. */
        public byte[] bytes() {
            return bytes;
        }

        public int length() {
            return length;
        }
    }

    /** A line longer than the limit was discarded. */
    public record Oversized(long discardedBytes) implements Line {}

    private final InputStream in;
    private final int maxFrameBytes;
    private final byte[] chunk = new byte[8192];
    private int chunkPos;
    private int chunkLen;
    private byte[] line = new byte[256];

    public FrameReader(InputStream in, int maxFrameBytes) {
        if (maxFrameBytes < 16) {
            throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
        }
        this.in = in;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The next line, or null at end of stream (a partial last line without newline is dropped). */
    public @Nullable Line next() throws IOException {
        int len = 0;
        long discarded = 0;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    return null;
                }
            }
            byte b = chunk[chunkPos++];
            if (b == '\n') {
                if (discarded > 0) {
                    return new Oversized(discarded + len);
                }
                if (len > 0 && line[len - 1] == '\r') {
                    len--;
                }
                return new Data(line, len);
            }
            if (discarded > 0 || len == maxFrameBytes) {
                discarded += len + 1;
                len = 0;
                continue;
            }
            if (len == line.length) {
                line = Arrays.copyOf(line, Math.min(maxFrameBytes, line.length * 2));
            }
            line[len++] = b;
        }
    }
}
