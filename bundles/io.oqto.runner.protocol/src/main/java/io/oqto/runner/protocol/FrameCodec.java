package io.oqto.runner.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.oqto.api.runner.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns lines into {@link Frame}s and back. Uses only jackson-core's streaming API: the runner does not
 * need data binding, and leaving jackson-databind out keeps its footprint small.
 */
public final class FrameCodec {

    /** Nesting beyond this is refused: no legitimate frame is deep, and depth costs stack. */
    static final int MAX_DEPTH = 32;

    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private FrameCodec() {}

    /** Parses one request line (without its newline); any defect becomes a ProtocolException. */
    public static Frame decode(byte[] line, int length) throws ProtocolException {
        return toFrame(parseObject(line, length), false);
    }

    /** Parses one reply line: like {@link #decode} but {@code "id": null} is allowed (errors about unreadable requests). */
    public static Frame decodeReply(byte[] line, int length) throws ProtocolException {
        return toFrame(parseObject(line, length), true);
    }

    private static Map<String, Object> parseObject(byte[] line, int length) throws ProtocolException {
        Map<String, Object> object;
        try (JsonParser p = JSON.createParser(line, 0, length)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ProtocolException(ErrorCode.INVALID_JSON, "empty frame", null);
            }
            Object value = readValue(p, first);
            if (p.nextToken() != null) {
                throw new ProtocolException(ErrorCode.INVALID_JSON, "more than one JSON value on the line", null);
            }
            if (!(value instanceof Map<?, ?> m)) {
                throw new ProtocolException(ErrorCode.INVALID_REQUEST, "a frame must be a JSON object", null);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> cast = (Map<String, Object>) m;
            object = cast;
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "invalid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "invalid JSON: " + e.getMessage(), null);
        }
        return object;
    }

    private static Frame toFrame(Map<String, Object> object, boolean nullIdAllowed) throws ProtocolException {
        boolean hasId = object.containsKey("id");
        Object id = object.remove("id");
        Object type = object.remove("type");
        String idText = id instanceof String s ? s : null;
        if (nullIdAllowed && hasId && id == null) {
            if (!(type instanceof String t) || t.isEmpty()) {
                throw new ProtocolException(ErrorCode.INVALID_REQUEST, "missing or non-string \"type\"", null);
            }
            return new Frame(null, t, object);
        }
        if (id == null) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "missing \"id\"", null);
        }
        if (idText == null || idText.isEmpty() || idText.length() > Protocol.MAX_ID_LENGTH) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST,
                    "\"id\" must be a non-empty string of at most " + Protocol.MAX_ID_LENGTH + " characters",
                    null);
        }
        if (!(type instanceof String t) || t.isEmpty()) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "missing or non-string \"type\"", idText);
        }
        return new Frame(idText, t, object);
    }

    private static @Nullable Object readValue(JsonParser p, JsonToken t) throws IOException {
        return JsonTrees.read(p, t);
    }

    /** Serialises a frame to one line, newline included. */
    public static byte[] encode(Frame frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (frame.id() == null) {
                g.writeNullField("id");
            } else {
                g.writeStringField("id", frame.id());
            }
            g.writeStringField("type", frame.type());
            for (Map.Entry<String, Object> e : frame.fields().entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator g, @Nullable Object v) throws IOException {
        JsonTrees.write(g, v);
    }
}
