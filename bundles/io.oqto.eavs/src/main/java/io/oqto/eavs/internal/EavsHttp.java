package io.oqto.eavs.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsException.Kind;
import io.oqto.runner.protocol.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON over HTTP to eavs, one blocking request at a time per caller. {@link HttpURLConnection} rather than the
 * JDK's HttpClient: it owns no thread, so a bundle update leaves nothing running behind. Errors carry eavs's
 * URL and, when eavs answered, its status and {@code code}; the master key never appears in one.
 */
final class EavsHttp {

    /** eavs's answer: the status and the parsed JSON body (null for an empty one). */
    record Answer(int status, @Nullable Object body) {}

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_BODY = 16 << 20;

    private final String baseUrl;
    private final Duration timeout;

    /** @param baseUrl without a trailing slash */
    EavsHttp(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** A request whose answer must be 2xx; anything else is an {@link EavsException}. */
    @Nullable
    Object call(String method, String path, @Nullable String bearer, @Nullable Object body) {
        Answer a = exchange(method, path, bearer, body);
        if (a.status() / 100 != 2) {
            throw refused(method, path, a);
        }
        return a.body();
    }

    /** Any answer eavs gives; {@link EavsException} only when there is none. */
    Answer exchange(String method, String path, @Nullable String bearer, @Nullable Object body) {
        URI uri = URI.create(baseUrl + path);
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw unreachable(method, path, e);
        }
        try {
            c.setRequestMethod(method);
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("Accept", "application/json");
            if (bearer != null) {
                c.setRequestProperty("Authorization", "Bearer " + bearer);
            }
            if (body != null) {
                byte[] bytes = write(body);
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] answer = in == null ? new byte[0] : readBounded(in);
            return new Answer(status, answer.length == 0 ? null : parse(answer, method, path, status));
        } catch (IOException e) {
            throw unreachable(method, path, e);
        } finally {
            c.disconnect();
        }
    }

    private EavsException unreachable(String method, String path, Exception e) {
        return new EavsException(
                Kind.UNREACHABLE,
                "eavs at " + baseUrl + " did not answer " + method + " " + path + ": " + describe(e),
                0,
                null,
                e);
    }

    /** eavs's refusal with its own words: {@code {error, code}} from the admin API. */
    EavsException refused(String method, String path, Answer a) {
        String message = null;
        String code = null;
        if (a.body() instanceof Map<?, ?> m) {
            if (m.get("error") instanceof String s) {
                message = s;
            } else if (m.get("error") instanceof Map<?, ?> openAi) {
                message = String.valueOf(openAi.get("message"));
                code = openAi.get("code") instanceof String s ? s : null;
            }
            code = m.get("code") instanceof String s ? s : code;
        }
        return new EavsException(
                a.status() == 404 ? Kind.NOT_FOUND : Kind.REFUSED,
                "eavs at " + baseUrl + " refused " + method + " " + path + ": " + a.status()
                        + (message == null ? "" : " " + message) + (code == null ? "" : " (" + code + ")"),
                a.status(),
                code,
                null);
    }

    private static String describe(Exception e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return "timed out";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static byte[] readBounded(InputStream in) throws IOException {
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

    private @Nullable Object parse(byte[] bytes, String method, String path, int status) throws IOException {
        try (JsonParser p = JSON.createParser(bytes)) {
            JsonToken t = p.nextToken();
            return t == null ? null : JsonTrees.read(p, t);
        } catch (IOException e) {
            if (status / 100 != 2) {
                // An error page that is not JSON (a proxy in between): the status says enough.
                return Map.of("error", new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8));
            }
            throw new IOException("not JSON from " + method + " " + path + ": " + e.getMessage(), e);
        }
    }

    static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            JsonTrees.write(g, value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
