package io.oqto.memory.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** A key named in config.toml by reference: {@code file:/PATH} (read as the runner's user) or {@code env:NAME}. */
final class Keys {

    private Keys() {}

    /** The key; null for an empty reference; IOException naming what is wrong (never the key). */
    static @Nullable String resolve(String reference) throws IOException {
        if (reference.isEmpty()) {
            return null;
        }
        if (reference.startsWith("file:/")) {
            return Files.readString(Path.of(reference.substring(5))).strip();
        }
        if (reference.startsWith("env:")) {
            String v = System.getenv(reference.substring(4));
            if (v == null || v.isBlank()) {
                throw new IOException("the environment variable " + reference.substring(4) + " is not set");
            }
            return v.strip();
        }
        throw new IOException("must be file:/PATH or env:NAME");
    }
}
