package io.oqto.eavs.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A secret named in config.toml: {@code file:/PATH} (read when needed, as the process's user), {@code env:NAME}
 * or {@code literal:VALUE} (which the config loader admits only in a file other users cannot read).
 */
final class SecretReference {

    private SecretReference() {}

    /** The secret; IllegalStateException names the reference (never the secret) when it cannot be had. */
    static String resolve(String key, String reference, Map<String, String> env) {
        String value;
        String where;
        if (reference.startsWith("file:/")) {
            where = reference;
            Path file = Path.of(reference.substring(5));
            try {
                value = Files.readString(file).strip();
            } catch (AccessDeniedException e) {
                throw new IllegalStateException(key + ": cannot read " + file + " as " + System.getProperty("user.name")
                        + ": permission denied");
            } catch (NoSuchFileException e) {
                throw new IllegalStateException(key + ": " + file + " does not exist");
            } catch (IOException e) {
                throw new IllegalStateException(key + ": cannot read " + file + ": " + e.getMessage());
            }
        } else if (reference.startsWith("env:")) {
            where = reference;
            value = env.getOrDefault(reference.substring(4), "").strip();
            if (value.isEmpty()) {
                throw new IllegalStateException(
                        key + ": the environment variable " + reference.substring(4) + " is not set");
            }
        } else if (reference.startsWith("literal:")) {
            where = "the value written out (literal:)";
            value = reference.substring(8);
        } else {
            throw new IllegalStateException(key + " is not set");
        }
        if (value.isEmpty() || value.contains("\n")) {
            throw new IllegalStateException(key + ": " + where + " must hold the secret on one line");
        }
        return value;
    }
}
