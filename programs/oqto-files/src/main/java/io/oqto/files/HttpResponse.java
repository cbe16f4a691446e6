package io.oqto.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes HTTP/1.1 responses: JSON, or a stream of known length. */
final class HttpResponse {

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(200, "OK"),
            Map.entry(201, "Created"),
            Map.entry(400, "Bad Request"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(409, "Conflict"),
            Map.entry(411, "Length Required"),
            Map.entry(413, "Payload Too Large"),
            Map.entry(500, "Internal Server Error"));

    private HttpResponse() {}

    static void json(OutputStream out, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        head(out, status, "application/json", bytes.length, null);
        out.write(bytes);
        out.flush();
    }

    static void error(OutputStream out, FileError e) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("code", e.code);
        json(out, e.status, body);
    }

    static void stream(OutputStream out, String contentType, long length, String disposition, InputStream body)
            throws IOException {
        head(out, 200, contentType, length, disposition);
        body.transferTo(out);
        out.flush();
    }

    private static void head(OutputStream out, int status, String type, long length, @Nullable String disposition)
            throws IOException {
        StringBuilder h = new StringBuilder("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(REASONS.getOrDefault(status, "Status"))
                .append("\r\nContent-Type: ")
                .append(type)
                .append("\r\nContent-Length: ")
                .append(length);
        if (disposition != null) {
            h.append("\r\nContent-Disposition: ").append(disposition);
        }
        h.append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.UTF_8));
    }
}
