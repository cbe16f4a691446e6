package io.oqto.agent.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields each session command takes and their JSON types, checked before anything reaches pi: pi
 * itself answers a mistyped field with a JavaScript error ("text.startsWith is not a function"). Fields have
 * the protocol's snake_case names; {@link #toPi} gives them pi's own names, and this is the only place that
 * knows those.
 */
final class CommandFields {

    private record Field(String name, Class<?> type, boolean required) {}

    private static final Field MESSAGE = new Field("message", String.class, true);
    private static final Field IMAGES = new Field("images", List.class, false);
    private static final Map<String, List<Field>> BY_COMMAND = Map.of(
            "prompt", List.of(MESSAGE, IMAGES),
            "steer", List.of(MESSAGE, IMAGES),
            "follow_up", List.of(MESSAGE, IMAGES),
            "set_model", List.of(new Field("provider", String.class, true), new Field("model_id", String.class, true)),
            "set_thinking_level", List.of(new Field("level", String.class, true)),
            "set_auto_retry", List.of(new Field("enabled", Boolean.class, true)),
            "compact", List.of(new Field("custom_instructions", String.class, false)));
    /** The protocol's field names that pi spells otherwise. */
    private static final Map<String, String> PI_NAMES =
            Map.of("model_id", "modelId", "custom_instructions", "customInstructions");

    private CommandFields() {}

    /**
     * The command's fields under pi's names. Before protocol 1.3 the control plane sent pi's names itself; a
     * field already under pi's name is taken as it is.
     */
    static Map<String, Object> toPi(Map<String, Object> fields) {
        Map<String, Object> pi = new LinkedHashMap<>();
        fields.forEach((name, value) -> pi.put(PI_NAMES.getOrDefault(name, name), value));
        return pi;
    }

    /** Checks the fields' types (under either name); the first wrong one is an {@code invalid_request}. */
    static void check(String command, Map<String, Object> fields) throws ProtocolException {
        fields = fromPi(fields);
        for (Field f : BY_COMMAND.getOrDefault(command, List.of())) {
            Object v = fields.get(f.name());
            if (v == null ? f.required() : !f.type().isInstance(v)) {
                throw new ProtocolException(
                        ErrorCode.INVALID_REQUEST,
                        command + ": \"" + f.name() + "\" must be "
                                + (f.type() == String.class
                                        ? "a string"
                                        : f.type() == List.class ? "an array" : "true or false")
                                + (f.required() ? "" : " when given"),
                        null);
            }
        }
    }

    private static Map<String, Object> fromPi(Map<String, Object> fields) {
        Map<String, Object> wire = new LinkedHashMap<>(fields);
        PI_NAMES.forEach((name, piName) -> {
            if (wire.containsKey(piName) && !wire.containsKey(name)) {
                wire.put(name, wire.remove(piName));
            }
        });
        return wire;
    }
}
