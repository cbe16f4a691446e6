package io.oqto.config.internal;

import java.util.Arrays;
import java.util.function.Function;

/**
 * One allowed key: its type and a check of its value. {@code check} returns null when the value is
 * fine, else what is wrong with it. {@code literalSecret} returns null unless the value holds a secret
 * written out in the file (rather than referenced), and then says which.
 */
record KeySpec(
        String name,
        ValueType type,
        Function<Object, String> check,
        String help,
        Function<Object, String> literalSecret) {

    KeySpec(String name, ValueType type, Function<Object, String> check, String help) {
        this(name, type, check, help, v -> null);
    }

    static KeySpec string(String name, String help) {
        return new KeySpec(name, ValueType.STRING, v -> null, help);
    }

    static KeySpec string(String name, String help, Function<Object, String> check) {
        return new KeySpec(name, ValueType.STRING, check, help);
    }

    static KeySpec integer(String name, long min, long max, String help) {
        return new KeySpec(
                name,
                ValueType.INTEGER,
                v -> (Long) v < min || (Long) v > max ? "must be between " + min + " and " + max + ", got " + v : null,
                help);
    }

    static KeySpec number(String name, double min, double max, String help) {
        return new KeySpec(
                name,
                ValueType.NUMBER,
                v -> !((Double) v >= min && (Double) v <= max)
                        ? "must be between " + min + " and " + max + ", got " + v
                        : null,
                help);
    }

    static KeySpec strings(String name, String help) {
        return new KeySpec(
                name,
                ValueType.STRING_LIST,
                v -> Arrays.stream((String[]) v).anyMatch(x -> x.indexOf('\0') >= 0) ? "must not contain NUL" : null,
                help);
    }

    static KeySpec bool(String name, String help) {
        return new KeySpec(name, ValueType.BOOLEAN, v -> null, help);
    }

    /** This key, whose values may hold a literal secret as {@code literalSecret} finds it. */
    KeySpec withLiteralSecret(Function<Object, String> finder) {
        return new KeySpec(name, type, check, help, finder);
    }

    /** The Configuration Admin property name: {@code socket_pattern} becomes {@code socketPattern}. */
    String propertyName() {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }
}
