package io.oqto.agent.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.oqto.runner.protocol.JsonTrees;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * pi's JSON lines to maps and lists and back, with jackson-core's streaming API only (the runner keeps
 * databind out for its footprint). Numbers become Long or Double.
 */
final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(256).build())
            .build();

    private Json() {}

    /** One JSON value; IOException for anything that is not exactly one. */
    static @Nullable Object parse(String text) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("empty line");
            }
            Object v = read(p, t);
            if (p.nextToken() != null) {
                throw new IOException("more than one JSON value on the line");
            }
            return v;
        }
    }

    /** A JSON object, or IOException. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) throws IOException {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IOException("not a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private static @Nullable Object read(JsonParser p, JsonToken t) throws IOException {
        return JsonTrees.read(p, t);
    }

    /** A JSON number as a whole number; anything else (absent, text) as 0. */
    static long whole(@Nullable Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }

    static String write(Object value) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        JsonTrees.write(g, v);
    }
}
