package io.oqto.config.internal;

import org.jspecify.annotations.Nullable;

/** The value kinds the schema knows, with how a TOML value or an environment string converts to each. */
enum ValueType {
    STRING("a string"),
    INTEGER("an integer"),
    /** A decimal number (money); TOML integers are accepted too. Published as {@code Double}. */
    NUMBER("a number"),
    BOOLEAN("a boolean (true or false)"),
    /** Published to Configuration Admin as {@code String[]}; from the environment, split at whitespace. */
    STRING_LIST("an array of strings");

    private final String description;

    ValueType(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /** The value if the TOML value has this type, else null. tomlj gives Long for integers. */
    @Nullable
    Object fromToml(Object v) {
        return switch (this) {
            case STRING -> v instanceof String ? v : null;
            case INTEGER -> v instanceof Long ? v : null;
            case NUMBER -> v instanceof Double d ? (Object) d : v instanceof Long l ? (Object) l.doubleValue() : null;
            case BOOLEAN -> v instanceof Boolean ? v : null;
            case STRING_LIST ->
                v instanceof org.tomlj.TomlArray a && a.toList().stream().allMatch(String.class::isInstance)
                        ? a.toList().stream().map(String.class::cast).toArray(String[]::new)
                        : null;
        };
    }

    /** Parses an environment string, or returns null when it is not of this type. */
    @Nullable
    Object fromText(String s) {
        return switch (this) {
            case STRING -> s;
            case INTEGER -> {
                try {
                    yield Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case NUMBER -> {
                try {
                    double d = Double.parseDouble(s.trim());
                    yield Double.isFinite(d) ? d : null;
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case BOOLEAN -> "true".equals(s) ? Boolean.TRUE : "false".equals(s) ? Boolean.FALSE : null;
            case STRING_LIST -> s.isBlank() ? new String[0] : s.trim().split("\\s+");
        };
    }
}
