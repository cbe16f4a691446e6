package io.oqto.runner.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.api.runner.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameCodecTest {

    private static Frame decode(String line) throws ProtocolException {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return FrameCodec.decode(b, b.length);
    }

    @Test
    void decodesIdTypeAndFields() throws Exception {
        Frame f = decode(
                "{\"id\":\"7\",\"type\":\"hello\",\"protocol\":\"1.0\",\"n\":3,\"list\":[1,\"a\",null],\"o\":{\"k\":true}}");
        assertEquals("7", f.id());
        assertEquals("hello", f.type());
        assertEquals("1.0", f.string("protocol"));
        assertEquals(3L, f.number("n", -1));
        assertEquals(Arrays.asList(1, "a", null), f.fields().get("list"));
        assertEquals(Map.of("k", true), f.fields().get("o"));
    }

    /** The bad-input corpus: each line, the error code and the message the peer gets. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "garbage                                    | invalid_json    | invalid JSON: Unrecognized token 'garbage': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "''                                         | invalid_json    | empty frame",
                "'   '                                      | invalid_json    | empty frame",
                "{\"id\":\"1\",\"type\":\"ping\"                | invalid_json    | invalid JSON: Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])",
                "{\"id\":\"1\",\"type\":\"ping\"}{}             | invalid_json    | more than one JSON value on the line",
                "{\"id\":\"1\",\"id\":\"2\",\"type\":\"ping\"}     | invalid_json    | invalid JSON: Duplicate field 'id'",
                "[1,2]                                      | invalid_request | a frame must be a JSON object",
                "\"ping\"                                   | invalid_request | a frame must be a JSON object",
                "42                                         | invalid_request | a frame must be a JSON object",
                "{\"type\":\"ping\"}                        | invalid_request | missing \"id\"",
                "{\"id\":null,\"type\":\"ping\"}            | invalid_request | missing \"id\"",
                "{\"id\":7,\"type\":\"ping\"}               | invalid_request | \"id\" must be a non-empty string of at most 128 characters",
                "{\"id\":\"\",\"type\":\"ping\"}            | invalid_request | \"id\" must be a non-empty string of at most 128 characters",
                "{\"id\":\"1\"}                             | invalid_request | missing or non-string \"type\"",
                "{\"id\":\"1\",\"type\":3}                  | invalid_request | missing or non-string \"type\"",
                "{\"id\":\"1\",\"type\":\"\"}               | invalid_request | missing or non-string \"type\"",
            })
    void rejectsBadFramesWithExactErrors(String line, String code, String message) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(line.strip()));
        assertEquals(code, e.code().wire());
        assertEquals(message, e.getMessage());
    }

    @Test
    void keepsTheIdWhenOnlyTheTypeIsBad() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode("{\"id\":\"9\",\"type\":false}"));
        assertEquals("9", e.requestId());
        assertEquals("9", e.toFrame().id());
    }

    @Test
    void refusesOverlongIdsAndDeepNesting() {
        String longId = "x".repeat(Protocol.MAX_ID_LENGTH + 1);
        assertEquals(
                ErrorCode.INVALID_REQUEST,
                assertThrows(ProtocolException.class, () -> decode("{\"id\":\"" + longId + "\",\"type\":\"ping\"}"))
                        .code());
        String deep = "{\"id\":\"1\",\"type\":\"ping\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(deep));
        assertEquals(ErrorCode.INVALID_JSON, e.code());
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bad = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(bad, bad.length));
        assertEquals(ErrorCode.INVALID_JSON, e.code());
    }

    @Test
    void encodesOneLineThatDecodesToTheSameFrame() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("text", "line1\nline2 \"quoted\" ü");
        fields.put("n", 42);
        fields.put("d", 1.5);
        fields.put("list", List.of("a", true));
        fields.put("none", null);
        byte[] encoded = FrameCodec.encode(new Frame("id-1", "status", fields));
        assertEquals('\n', encoded[encoded.length - 1]);
        assertEquals(1, new String(encoded, StandardCharsets.UTF_8).split("\n", -1).length - 1, "exactly one newline");
        Frame back = FrameCodec.decode(encoded, encoded.length - 1);
        assertEquals("id-1", back.id());
        assertEquals("line1\nline2 \"quoted\" ü", back.string("text"));
        assertEquals(42L, back.number("n", 0));
        assertEquals(1.5, back.fields().get("d"));
        assertNull(back.fields().get("none"));
    }

    @Test
    void errorFramesCarryCodeAndNullId() throws Exception {
        byte[] e = FrameCodec.encode(Frame.error(null, ErrorCode.FRAME_TOO_LARGE, "too big"));
        assertEquals(
                "{\"id\":null,\"type\":\"error\",\"code\":\"frame_too_large\",\"message\":\"too big\"}\n",
                new String(e, StandardCharsets.UTF_8));
        Frame reply = FrameCodec.decodeReply(e, e.length - 1);
        assertNull(reply.id());
        assertEquals("frame_too_large", reply.string("code"));
    }

    @Test
    void idAndTypeCannotBeFields() {
        assertThrows(IllegalArgumentException.class, () -> new Frame("1", "stat", Map.of("type", "file")));
        assertThrows(IllegalArgumentException.class, () -> Frame.of("1", "stat").with("id", "2"));
    }

    @Test
    void majorVersionParsing() {
        assertEquals(1, Protocol.majorOf("1.0"));
        assertEquals(2, Protocol.majorOf("2.7"));
        assertEquals(1, Protocol.majorOf("1"));
        assertEquals(-1, Protocol.majorOf("x.1"));
        assertEquals(-1, Protocol.majorOf(null));
        assertEquals(-1, Protocol.majorOf(""));
    }

    @Test
    void errorCodesRoundTripThroughTheirWireNames() {
        for (ErrorCode c : ErrorCode.values()) {
            assertEquals(c, ErrorCode.fromWire(c.wire()).orElseThrow());
        }
        assertEquals(Optional.empty(), ErrorCode.fromWire("nope"));
    }

    @Test
    void alreadyEncodedValuesAreWrittenAsTheyAre() {
        Frame f = Frame.of(null, "session_events")
                .with(
                        "events",
                        List.of(new JsonTrees.Raw("{\"seq\":1,\"type\":\"agent.working\"}"), new JsonTrees.Raw("[2]")));
        assertEquals(
                "{\"id\":null,\"type\":\"session_events\",\"events\":[{\"seq\":1,\"type\":\"agent.working\"},[2]]}\n",
                new String(FrameCodec.encode(f), StandardCharsets.UTF_8));
    }
}
