package io.oqto.agent.internal;

import io.oqto.runner.protocol.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import java.util.List;
import java.util.Map;

/**
 * The fields each session command takes and their JSON types, checked before anything reaches pi: pi
 * itself answers a mistyped field with a JavaScript error ("text.startsWith is not a function").
 */
final class CommandFields {

    private record Field(String name, Class<?> type, boolean required) {
    }

    private static final Field MESSAGE = new Field("message", String.class, true);
    private static final Field IMAGES = new Field("images", List.class, false);
    private static final Map<String, List<Field>> BY_COMMAND = Map.of(
            "prompt", List.of(MESSAGE, IMAGES),
            "steer", List.of(MESSAGE, IMAGES),
            "follow_up", List.of(MESSAGE, IMAGES),
            "set_model", List.of(new Field("provider", String.class, true), new Field("modelId", String.class, true)),
            "set_thinking_level", List.of(new Field("level", String.class, true)),
            "set_auto_retry", List.of(new Field("enabled", Boolean.class, true)),
            "compact", List.of(new Field("customInstructions", String.class, false)));

    private CommandFields() {
    }

    static void check(String command, Map<String, Object> fields) throws ProtocolException {
        for (Field f : BY_COMMAND.getOrDefault(command, List.of())) {
            Object v = fields.get(f.name());
            if (v == null ? f.required() : !f.type().isInstance(v)) {
                throw new ProtocolException(ErrorCode.INVALID_REQUEST, command + ": \"" + f.name() + "\" must be "
                        + (f.type() == String.class ? "a string" : f.type() == List.class ? "an array" : "true or false")
                        + (f.required() ? "" : " when given"), null);
            }
        }
    }
}
