package io.oqto.mmry.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.oqto.runner.protocol.JsonTrees;
import io.oqto.runner.spi.memory.MemoryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * mmry's HTTP API (services-spec §3.1): JSON in and out, the bearer key when there is one, and its errors
 * ({@code {"error":{"message":…}}}) as memory errors: 404 not found, 400 refused input, anything else (no answer,
 * 401, 5xx) unavailable, each naming mmry's URL. {@link HttpURLConnection}, so no client thread outlives a call.
 */
final class MmryHttp {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_BODY = 16 << 20;

    private final String baseUrl;
    private final @Nullable String key;
    private final String keyName;
    private final Duration timeout;

    MmryHttp(String baseUrl, @Nullable String key, Duration timeout) {
        this(baseUrl, key, "[memory] mmry_key", timeout);
    }

    /** @param keyName where the key comes from, named when mmry refuses it */
    MmryHttp(String baseUrl, @Nullable String key, String keyName, Duration timeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.key = key;
        this.keyName = keyName;
        this.timeout = timeout;
    }

    /** The parsed answer of a 2xx; a {@link MemoryException} by mmry's status otherwise. */
    @Nullable
    Object call(String method, String pathAndQuery, @Nullable Object body) throws MemoryException {
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) URI.create(baseUrl + pathAndQuery).toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw unavailable(method, pathAndQuery, e.getMessage());
        }
        try {
            c.setRequestMethod(method);
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setRequestProperty("Accept", "application/json");
            if (key != null) {
                c.setRequestProperty("Authorization", "Bearer " + key);
            }
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(write(body));
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            Object answer = parse(in == null ? new byte[0] : read(in));
            if (status / 100 == 2) {
                return answer;
            }
            String message = answer instanceof Map<?, ?> m && m.get("error") instanceof Map<?, ?> e
                    ? String.valueOf(e.get("message"))
                    : "HTTP " + status;
            String where = "mmry at " + baseUrl + " (" + method + " " + pathAndQuery.replaceAll("\\?.*", "") + "): ";
            throw switch (status) {
                case 404 -> new MemoryException(MemoryException.Kind.NOT_FOUND, where + message);
                case 400 -> new MemoryException(MemoryException.Kind.INVALID, where + message);
                case 401 ->
                    new MemoryException(
                            MemoryException.Kind.UNAVAILABLE, where + "refused the key (" + keyName + "): " + message);
                default -> new MemoryException(MemoryException.Kind.UNAVAILABLE, where + status + " " + message);
            };
        } catch (IOException e) {
            throw unavailable(
                    method,
                    pathAndQuery,
                    e instanceof java.net.ConnectException
                            ? "connection refused"
                            : e instanceof java.net.SocketTimeoutException ? "timed out" : e.getMessage());
        } finally {
            c.disconnect();
        }
    }

    private MemoryException unavailable(String method, String path, @Nullable String why) {
        return new MemoryException(
                MemoryException.Kind.UNAVAILABLE,
                "mmry at " + baseUrl + " did not answer " + method + " " + path.replaceAll("\\?.*", "") + ": " + why);
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (out.size() + n > MAX_BODY) {
                    throw new IOException("answer larger than " + MAX_BODY + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static @Nullable Object parse(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return null;
        }
        try (JsonParser p = JSON.createParser(bytes)) {
            JsonToken t = p.nextToken();
            return t == null ? null : JsonTrees.read(p, t);
        }
    }

    private static byte[] write(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            JsonTrees.write(g, value);
        }
        return out.toByteArray();
    }
}
