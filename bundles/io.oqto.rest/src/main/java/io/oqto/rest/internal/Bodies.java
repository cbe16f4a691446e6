package io.oqto.rest.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Request bodies as typed records: only the record's fields (snake_case) are taken, each of exactly its JSON
 * type — a number is not a string, {@code 1.5} or {@code 1e999} not a whole number, {@code "true"} not a
 * boolean. A body that breaks this is {@code 400 bad_request} naming the field; what a field's value means
 * (a process name's characters, a limit's range) is the runner's to check.
 */
final class Bodies {

    private final ObjectMapper strict;

    Bodies(ObjectMapper mapper) {
        strict = mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }

    /** The JSON field names a record takes, worked out once per record class (every request asks). */
    private static final ClassValue<Set<String>> FIELDS = new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> type) {
            return Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getName)
                    .map(PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE::translate)
                    .collect(Collectors.toUnmodifiableSet());
        }
    };

    /** The body as a {@code type}; {@code what} names the request in the refusal ("a spawn takes only …"). */
    <T extends Record> T read(Map<String, Object> body, Class<T> type, String what) {
        Map<String, Object> fields = body == null ? Map.of() : body;
        Set<String> allowed = FIELDS.get(type);
        if (!allowed.containsAll(fields.keySet())) {
            throw new ApiProblem(400, "bad_request", "Bad request", what + " takes only " + new TreeSet<>(allowed));
        }
        try {
            return strict.convertValue(fields, type);
        } catch (IllegalArgumentException e) {
            throw problem(e);
        }
    }

    private static ApiProblem problem(IllegalArgumentException e) {
        if (e.getCause() instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            if (m instanceof UnrecognizedPropertyException u) {
                return new ApiProblem(
                        400,
                        "bad_request",
                        "Bad request",
                        "\"" + field + "\" is not a field here; it takes only "
                                + new TreeSet<>(u.getKnownPropertyIds().stream()
                                        .map(String::valueOf)
                                        .toList()));
            }
            String expected = m instanceof MismatchedInputException mi && mi.getTargetType() != null
                    ? " must be " + kind(mi.getTargetType())
                    : ": " + m.getOriginalMessage().replaceAll("(?s)\\s*\\n.*", "");
            return new ApiProblem(400, "bad_request", "Bad request", "\"" + field + "\"" + expected);
        }
        return new ApiProblem(400, "bad_request", "Bad request", e.getMessage());
    }

    private static String kind(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "a whole number (and not a huge one)";
        }
        if (List.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
