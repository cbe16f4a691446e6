package io.oqto.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.MediaType;

/**
 * JSON request bodies are at most {@link #MAX_BYTES}: a larger {@code Content-Length} is refused before
 * anything is read, and a chunked body is cut off where it passes the limit (file uploads have their own).
 */
final class BodyLimit implements ContainerRequestFilter {

    static final int MAX_BYTES = 1 << 20;

    /** Thrown by the body stream past the limit; becomes {@code 413 payload_too_large}. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("JSON bodies are limited to " + MAX_BYTES + " bytes");
        }
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        MediaType type = request.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return;
        }
        if (request.getLength() > MAX_BYTES) {
            throw new TooLarge();
        }
        request.setEntityStream(new Limited(request.getEntityStream()));
    }

    /** Counts what is read and fails past the limit. */
    private static final class Limited extends FilterInputStream {
        private long read;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > MAX_BYTES) {
                throw new TooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0 && (read += n) > MAX_BYTES) {
                throw new TooLarge();
            }
            return n;
        }
    }
}
