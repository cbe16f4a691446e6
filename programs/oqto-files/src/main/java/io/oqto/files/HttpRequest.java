package io.oqto.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 request read from a stream: request line, headers, and a body of {@code Content-Length}
 * bytes (chunked bodies are refused; clients of this server know the size of what they upload). The body
 * is left on the stream for the route to read.
 */
record HttpRequest(
        String method, String path, Map<String, String> query, Map<String, String> headers, long contentLength) {

    static final int MAX_HEAD_BYTES = 16 * 1024;

    /** The next request, or null when the client closed the connection between requests. */
    @Nullable
    static HttpRequest read(InputStream in) throws IOException, FileError {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new FileError(400, "BAD_REQUEST", "malformed request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int headBytes = requestLine.length();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            headBytes += h.length();
            int colon = h.indexOf(':');
            if (colon <= 0 || headBytes > MAX_HEAD_BYTES) {
                throw new FileError(400, "BAD_REQUEST", "malformed or oversized header");
            }
            headers.put(
                    h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    h.substring(colon + 1).trim());
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new FileError(411, "LENGTH_REQUIRED", "send a Content-Length, not a chunked body");
        }
        long length;
        try {
            length = Long.parseLong(headers.getOrDefault("content-length", "0"));
        } catch (NumberFormatException e) {
            throw new FileError(400, "BAD_REQUEST", "bad Content-Length");
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        return new HttpRequest(parts[0], path, q < 0 ? Map.of() : query(target.substring(q + 1)), headers, length);
    }

    boolean keepAlive() {
        return !"close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
    }

    @Nullable
    String param(String name) {
        return query.get(name);
    }

    boolean flag(String name) {
        return "true".equals(query.get(name));
    }

    private static Map<String, String> query(String q) throws FileError {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : q.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                m.put(
                        URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw FileError.invalidPath("malformed query: " + e.getMessage());
            }
        }
        return m;
    }

    /** A CRLF- (or LF-) terminated line, or null at end of stream before any byte. */
    private static @Nullable String line(InputStream in) throws IOException, FileError {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        for (int c = in.read(); ; c = in.read()) {
            if (c == -1) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            }
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (b.size() >= MAX_HEAD_BYTES) {
                throw new FileError(400, "BAD_REQUEST", "header line too long");
            }
            b.write(c);
        }
    }
}
