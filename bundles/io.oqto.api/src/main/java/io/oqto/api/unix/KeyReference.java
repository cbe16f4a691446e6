package io.oqto.api.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A key named in config.toml by reference, so that no key is in the file itself: {@code file:/PATH} (read as the
 * process's user, so a file only that user can read) or {@code env:NAME}.
 *
 * @since 1.4
 */
public final class KeyReference {

    private KeyReference() {}

    /** The key; null for an empty reference; IOException naming what is wrong (never the key). */
    public static @Nullable String resolve(String reference) throws IOException {
        if (reference.isEmpty()) {
            return null;
        }
        if (reference.startsWith("file:/")) {
            Path file = Path.of(reference.substring(5));
            try {
                return Files.readString(file).strip();
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException(file + " does not exist", e);
            } catch (java.nio.file.AccessDeniedException e) {
                throw new IOException(
                        "cannot read " + file + " as " + System.getProperty("user.name") + ": permission denied", e);
            }
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
