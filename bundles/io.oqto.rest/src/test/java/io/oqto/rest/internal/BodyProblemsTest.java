package io.oqto.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyProblemsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    /** The problem a body gives when read as the resources read it: into a Map. */
    private String problem(byte[] body) {
        Exception e = assertThrows(Exception.class, () -> mapper.readValue(body, Map.class));
        // Wrapped, as CXF hands reader failures on.
        ApiProblem p = BodyProblems.of(new RuntimeException("reader failed", e));
        return p.body().status() + " " + p.body().code() + ": " + p.body().detail();
    }

    private String problem(String body) {
        return problem(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachKindOfBadBodyHasItsOwnCodeAndSaysWhere() {
        assertEquals(
                "400 invalid_json: the body is not valid JSON: Unexpected end-of-input within/between Object entries "
                        + "at line 1, column 12",
                problem("{\"message\":"));
        assertEquals("400 invalid_body: the body must be a JSON object", problem("[1,2]"));
        assertEquals("400 invalid_body: the body must be a JSON object", problem("\"text\""));
        assertEquals("400 invalid_body: a JSON object is required as the body", problem(""));
        assertEquals(
                "400 invalid_json: the body is not valid JSON: it exceeds a limit: Document nesting depth (1001) exceeds the "
                        + "maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)",
                problem("{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}"));
        assertEquals(
                "400 invalid_json: the body is not valid JSON: it exceeds a limit: Number value length (1001) exceeds the "
                        + "maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)",
                problem("{\"after\":" + "9".repeat(1001) + "}"));
        String utf8 = problem(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        assertEquals(
                "400 invalid_json: the body is not valid JSON: Invalid UTF-8 middle byte 0x28 at line 1, column 9",
                utf8);
    }

    @Test
    void tooLargeIs413AndOtherFailuresAreNotBodyProblems() {
        ApiProblem p = BodyProblems.of(new RuntimeException(new BodyLimit.TooLarge()));
        assertEquals(
                new ApiProblem.Body(
                        413, "payload_too_large", "Payload too large", "JSON bodies are limited to 1048576 bytes"),
                p.body());
        assertNull(BodyProblems.of(new IllegalStateException("a bug")));
    }

    @Test
    void queryParametersAreParsedStrictlyAndNamed() {
        assertEquals(7, QueryParams.whole("after", "7", 0, 0, 10));
        assertEquals(3, QueryParams.whole("after", null, 3, 0, 10));
        ApiProblem p = assertThrows(ApiProblem.class, () -> QueryParams.whole("after", "abc", 0, 0, 10));
        assertEquals(
                new ApiProblem.Body(
                        400,
                        "invalid_parameter",
                        "Bad request",
                        "query parameter after must be a whole number from 0 to 10, not \"abc\""),
                p.body());
        assertThrows(ApiProblem.class, () -> QueryParams.whole("max", "99999999999999999999", 1, 1, 5000));
        assertThrows(ApiProblem.class, () -> QueryParams.whole("max", "-1", 1, 1, 5000));
        assertEquals(true, QueryParams.flag("recursive", "true", false));
        ApiProblem f = assertThrows(ApiProblem.class, () -> QueryParams.flag("recursive", "yes", false));
        assertEquals("query parameter recursive must be true or false, not \"yes\"", f.getMessage());
    }
}
