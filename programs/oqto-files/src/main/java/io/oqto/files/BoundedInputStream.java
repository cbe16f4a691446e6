package io.oqto.files;

import java.io.IOException;
import java.io.InputStream;

/** A request body: at most {@code limit} bytes of the connection, so a route cannot read into the next request. */
final class BoundedInputStream extends InputStream {

    private final InputStream in;
    private long left;

    BoundedInputStream(InputStream in, long limit) {
        this.in = in;
        this.left = limit;
    }

    long remaining() {
        return left;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int c = in.read();
        if (c >= 0) {
            left--;
        }
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
            left -= n;
        }
        return n;
    }
}
