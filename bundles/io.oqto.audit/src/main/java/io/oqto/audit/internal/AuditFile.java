package io.oqto.audit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The audit file: lines appended to a file only its owner can read (0600, in a 0700 directory it makes), rotated
 * when it would grow past its size — {@code audit.log} becomes {@code audit.log.1}, the oldest beyond {@code keep}
 * is deleted. Opened per line, so nothing is held between lines.
 */
final class AuditFile {

    private final Path file;
    private final long maxBytes;
    private final int keep;

    AuditFile(Path file, long maxBytes, int keep) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    synchronized void append(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        long size = Files.exists(file) ? Files.size(file) : 0;
        if (size > 0 && size + bytes.length > maxBytes) {
            rotate();
        }
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            out.write(bytes);
        }
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(rotated(keep));
        for (int i = keep - 1; i >= 1; i--) {
            try {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException absent) {
                // fewer rotations so far
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }

    Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }
}
