package io.oqto.eavs.internal;

import io.oqto.runner.spi.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The user's virtual key on the runner's side: one line in a file only the user can read (0600, in a 0700
 * directory), replaced atomically. Its SHA-256 is eavs's {@code key_hash}.
 */
final class KeyFile {

    private final Path file;

    KeyFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** The key, if the runner holds one. */
    Optional<String> read() throws IOException {
        try {
            String key = Files.readString(file).strip();
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    void write(String key) throws IOException {
        PrivateFiles.write(file, key + "\n");
    }

    /** eavs's {@code key_hash} of a key: SHA-256, lower-case hex. */
    static String hash(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
