package io.oqto.config.internal;

/**
 * A configuration problem, always naming where it is: {@code file:line:column: key: what is wrong}
 * (or the environment variable for overrides), so an operator can fix it without guessing.
 */
public final class ConfigError extends Exception {
    private static final long serialVersionUID = 1L;

    ConfigError(String message) {
        super(message);
    }

    static ConfigError at(String source, int line, int column, String key, String problem) {
        return new ConfigError(source + ":" + line + ":" + column + ": " + key + ": " + problem);
    }
}
