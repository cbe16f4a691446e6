package io.oqto.runner.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON values as plain Java (maps, lists, strings, numbers, booleans, null) with jackson-core's streaming
 * API only: the frame codec uses it, and so does the agent bundle for pi's lines.
 *
 * @since 1.2
 */
public final class JsonTrees {

    private JsonTrees() {}

    /** The value starting at token {@code t} (objects keep their key order). */
    public static @Nullable Object read(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, read(p, p.nextToken()));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(read(p, e));
                }
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new JsonParseException(p, "unexpected token " + t);
        };
    }

    /**
     * A value already encoded as JSON, written as it is: what is sent many times (a session event to every
     * subscriber) is encoded once, and kept compact in memory.
     */
    public record Raw(String json) {}

    /** Writes a value made of maps, iterables, strings, numbers, booleans, null and {@link Raw}. */
    public static void write(JsonGenerator g, @Nullable Object v) throws IOException {
        if (v instanceof Raw raw) {
            g.writeRawValue(raw.json());
        } else if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> it) {
            g.writeStartArray();
            for (Object e : it) {
                write(g, e);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException(
                    "not a JSON value: " + v.getClass().getName());
        }
    }
}
