package io.oqto.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Turns a client's path into a path inside the root, or refuses it. Paths are relative to the root (an
 * absolute one must lie inside it); {@code ..}, NUL and over-long paths are refused outright, and the real
 * path of whatever exists (symlinks resolved) must stay inside the root.
 */
final class RootPaths {

    static final int MAX_PATH_BYTES = 4096;

    private final Path root;

    RootPaths(Path root) throws IOException {
        this.root = root.toRealPath();
    }

    Path root() {
        return root;
    }

    /** The confined path for {@code requested}; it need not exist yet. */
    Path resolve(String requested) throws FileError {
        if (requested == null || requested.isEmpty()) {
            throw FileError.invalidPath("a path is required");
        }
        if (requested.indexOf('\0') >= 0 || requested.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw FileError.invalidPath("path is not acceptable (NUL byte or longer than " + MAX_PATH_BYTES + " bytes)");
        }
        for (String segment : requested.split("/")) {
            if (segment.equals("..")) {
                throw FileError.traversal(requested);
            }
        }
        Path p = requested.startsWith("/") ? Path.of(requested).normalize() : root.resolve(requested).normalize();
        if (!p.startsWith(root)) {
            throw FileError.traversal(requested);
        }
        // The deepest part that exists decides where symlinks lead; what is below it is created inside.
        Path existing = p;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            Path real = existing.toRealPath();
            if (!real.startsWith(root)) {
                throw FileError.traversal(requested);
            }
            return real.resolve(existing.relativize(p));
        } catch (IOException e) {
            // A dangling symlink: where it points is unknown, so it is not followed.
            throw FileError.traversal(requested);
        }
    }

    /** The path relative to the root, for replies. */
    String relative(Path p) {
        String r = root.relativize(p).toString();
        return r.isEmpty() ? "." : r;
    }
}
