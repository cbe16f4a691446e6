package io.oqto.runner.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that may hold a secret (a key, pi's models.json with one): written whole or not at all, readable only by
 * the runner's user from the first byte on (created 0600, then moved into place), in a directory created 0700.
 *
 * @since 1.1
 */
public final class PrivateFiles {

    private PrivateFiles() {}

    /**
     * Appends {@code text} to {@code file} and forces it to disk before returning (a journal line that must survive
     * a crash); the file is created 0600 (its directory 0700) when missing.
     *
     * @since 1.2
     */
    public static void append(Path file, String text) throws IOException {
        if (!Files.exists(file)) {
            write(file, "");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
    }

    /** Replaces {@code file} with {@code content} atomically; its directory is created (0700) when missing. */
    public static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IOException(file + " has no directory");
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = Files.createTempFile(
                dir,
                "." + file.getFileName() + "-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
