package io.oqto.files;

import io.oqto.runner.spi.ConfinedPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A client's path as a path inside the root, by the runner's one rule ({@link ConfinedPaths}), in the file
 * server's terms: an empty, NUL-carrying or over-long path is {@code INVALID_PATH} (400), anything else the rule
 * refuses is {@code PATH_TRAVERSAL} (403).
 */
final class RootPaths {

    private final ConfinedPaths paths;

    RootPaths(Path root) throws IOException {
        this.paths = new ConfinedPaths(root);
    }

    Path root() {
        return paths.root();
    }

    /** The confined path for {@code requested}; it need not exist yet. */
    Path resolve(@Nullable String requested) throws FileError {
        if (requested == null || requested.isEmpty()) {
            throw FileError.invalidPath("a path is required");
        }
        if (requested.indexOf('\0') >= 0
                || requested.getBytes(StandardCharsets.UTF_8).length > ConfinedPaths.MAX_PATH_BYTES) {
            throw FileError.invalidPath(
                    "path is not acceptable (NUL byte or longer than " + ConfinedPaths.MAX_PATH_BYTES + " bytes)");
        }
        try {
            return paths.resolve(requested);
        } catch (ConfinedPaths.Refused e) {
            // Outside, "..", a dangling link (where it points is unknown, so it is not followed).
            throw FileError.traversal(requested);
        }
    }

    /** The path relative to the root, for replies. */
    String relative(Path p) {
        String r = paths.root().relativize(p).toString();
        return r.isEmpty() ? "." : r;
    }
}
