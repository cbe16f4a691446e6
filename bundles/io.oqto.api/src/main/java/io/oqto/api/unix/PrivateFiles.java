package io.oqto.api.unix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Small state files that only their owner may read (tokens, users): one entry per line, mode 0600 from the
 * moment they exist, replaced atomically so a crash leaves the old file or the new one, never half of one.
 *
 * @since 1.2
 */
public final class PrivateFiles {

    private PrivateFiles() {}

    /**
     * Every non-blank line of {@code file}, parsed; none when the file does not exist.
     *
     * @param what what an entry is, for the error ("token", "user")
     * @throws IOException naming file and line when a line does not parse
     */
    public static <T> List<T> readEntries(Path file, String what, Function<String, T> parse) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<T> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                entries.add(parse.apply(lines.get(i)));
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + (i + 1) + ": unreadable " + what + " entry: " + e.getMessage());
            }
        }
        return entries;
    }

    /** Replaces {@code file} with {@code lines}: written to a 0600 file beside it, then moved over it. */
    public static void replace(Path file, List<String> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        write(tmp, String.join("\n", lines) + (lines.isEmpty() ? "" : "\n"));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes {@code content} to a new 0600 {@code file} (an old one is removed first), creating its directory. */
    public static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
