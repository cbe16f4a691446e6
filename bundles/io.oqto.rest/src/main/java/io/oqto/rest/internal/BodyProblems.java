package io.oqto.rest.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.CharConversionException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What is wrong with a request body, as a 4xx problem: malformed JSON, the wrong shape, too deep, too long
 * or too large. Readers and CXF wrap these in exceptions of their own, so the cause chain is searched.
 */
final class BodyProblems {

    private BodyProblems() {}

    /** The problem for a body failure somewhere in {@code t}'s causes, or null when it is none. */
    static @Nullable ApiProblem of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            ApiProblem p = direct(c);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static @Nullable ApiProblem direct(Throwable c) {
        if (c instanceof BodyLimit.TooLarge) {
            return new ApiProblem(413, "payload_too_large", "Payload too large", c.getMessage());
        }
        if (c instanceof StreamConstraintsException e) {
            return invalidJson("it exceeds a limit: " + e.getOriginalMessage());
        }
        if (c instanceof JsonParseException e) {
            return invalidJson(firstLine(e.getOriginalMessage()) + " at line "
                    + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        }
        if (c instanceof CharConversionException e) {
            return invalidJson("it is not UTF-8: " + e.getMessage());
        }
        if (c instanceof MismatchedInputException e && e.getPath().isEmpty()) {
            return e.getOriginalMessage().startsWith("No content")
                    ? new ApiProblem(400, "invalid_body", "Bad request", "a JSON object is required as the body")
                    : new ApiProblem(400, "invalid_body", "Bad request", "the body must be a JSON object");
        }
        if (c instanceof JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return new ApiProblem(
                    400, "invalid_body", "Bad request", "field " + field + ": " + firstLine(e.getOriginalMessage()));
        }
        return null;
    }

    /** Jackson's message without its source excerpt and the location it repeats. */
    private static String firstLine(String message) {
        return message.replaceAll("(?s)\\s*\\(start marker at .*", "").replaceAll("(?s)\\s*\\n.*", "");
    }

    private static ApiProblem invalidJson(String why) {
        return new ApiProblem(400, "invalid_json", "Bad request", "the body is not valid JSON: " + why);
    }
}
