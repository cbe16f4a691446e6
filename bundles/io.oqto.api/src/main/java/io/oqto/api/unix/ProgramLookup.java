package io.oqto.api.unix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a user's service program (such as {@code hstry}) is installed: a path, or a name looked up on the runner's
 * {@code PATH} and then where installers put programs for one user or for the host.
 *
 * @since 1.4
 */
public final class ProgramLookup {

    private ProgramLookup() {}

    /** The executable {@code program} names (a path, or a name in {@code searchPath}), or null. */
    public static @Nullable Path find(String program, List<Path> searchPath) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
        }
        for (Path dir : searchPath) {
            Path p = dir.resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The directories of {@code pathVariable}, then {@code ~/.local/bin}, {@code ~/.cargo/bin}, /usr/local/bin, /usr/bin. */
    public static List<Path> searchPath(@Nullable String pathVariable, Path home) {
        List<Path> dirs = new ArrayList<>();
        if (pathVariable != null) {
            for (String d : pathVariable.split(":", -1)) {
                if (d.startsWith("/")) {
                    dirs.add(Path.of(d));
                }
            }
        }
        for (Path d : List.of(
                home.resolve(".local/bin"),
                home.resolve(".cargo/bin"),
                Path.of("/usr/local/bin"),
                Path.of("/usr/bin"))) {
            if (!dirs.contains(d)) {
                dirs.add(d);
            }
        }
        return dirs;
    }

    /** {@link #find} on the runner's own {@code PATH} and the user's home. */
    public static @Nullable Path find(String program) {
        return find(program, searchPath(System.getenv("PATH"), Home.current()));
    }
}
