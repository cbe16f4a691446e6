package io.oqto.runner.protocol;

import io.oqto.api.runner.ErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One protocol message: its correlation {@code id}, its {@code type} and the remaining fields.
 * Field values are JSON-shaped: String, Number, Boolean, null, {@code Map<String,Object>} or {@code List<Object>}.
 */
public record Frame(@Nullable String id, String type, Map<String, Object> fields) {

    public Frame {
        Objects.requireNonNull(type, "type");
        if (fields.containsKey("id") || fields.containsKey("type")) {
            // They would be written twice, and the peer rejects duplicate keys.
            throw new IllegalArgumentException("\"id\" and \"type\" are not fields: " + fields.keySet());
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static Frame of(@Nullable String id, String type) {
        return new Frame(id, type, Map.of());
    }

    public static Frame error(@Nullable String id, ErrorCode code, String message) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("code", code.wire());
        f.put("message", message);
        return new Frame(id, Protocol.ERROR, f);
    }

    /** The id of a request (which always has one: the codec refuses a request without). */
    public String requestId() {
        return Objects.requireNonNull(id, "a request has an id");
    }

    /** A copy with one more field. */
    public Frame with(String key, @Nullable Object value) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        f.put(key, value);
        return new Frame(id, type, f);
    }

    public boolean isError() {
        return Protocol.ERROR.equals(type);
    }

    public @Nullable String string(String key) {
        Object v = fields.get(key);
        return v instanceof String s ? s : null;
    }

    public long number(String key, long fallback) {
        Object v = fields.get(key);
        return v instanceof Number n ? n.longValue() : fallback;
    }

    /**
     * A whole-number field in [{@code min}, {@code max}] as the codec reads it (Integer or Long by its size);
     * {@code dflt} when absent; {@code invalid_request} naming the field and the range for anything else.
     *
     * @since 2.1
     */
    public long whole(String key, long dflt, long min, long max) throws ProtocolException {
        Object v = fields.get(key);
        if (v == null) {
            return dflt;
        }
        long n = v instanceof Integer i ? i : v instanceof Long l ? l : Long.MIN_VALUE;
        if (n < min || n > max) {
            throw new ProtocolException(
                    io.oqto.api.runner.ErrorCode.INVALID_REQUEST,
                    "\"" + key + "\" must be a whole number from " + min + " to " + max,
                    null);
        }
        return n;
    }
}
