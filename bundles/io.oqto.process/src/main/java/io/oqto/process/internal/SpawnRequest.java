package io.oqto.process.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What to spawn: from a {@code spawn_process} request, a named program's plan, or another bundle's launch.
 * Built with {@link #builder(String, List, Path)}; what is not set is the safe default (sandboxed, no extra
 * mounts, no restarts, the configured limits, output into the process's buffer).
 *
 * @param profile a built-in sandbox profile that tightens the policy, or null
 * @param limits the {@code limits} object of the request (checked against the ceiling when spawning), or null
 * @param stdout who reads stdout lines instead of the output buffer, or null
 */
record SpawnRequest(
        String name,
        List<String> argv,
        Path cwd,
        Map<String, String> env,
        boolean sandboxed,
        @Nullable String profile,
        List<Path> readOnly,
        List<Path> writable,
        RestartPolicy restart,
        @Nullable Object limits,
        @Nullable Consumer<String> stdout) {

    SpawnRequest {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        readOnly = List.copyOf(readOnly);
        writable = List.copyOf(writable);
    }

    static Builder builder(String name, List<String> argv, Path cwd) {
        return new Builder(name, argv, cwd);
    }

    /** The optional parts of a spawn, set by name. */
    static final class Builder {
        private final String name;
        private final List<String> argv;
        private final Path cwd;
        private Map<String, String> env = Map.of();
        private boolean sandboxed = true;
        private @Nullable String profile;
        private List<Path> readOnly = List.of();
        private List<Path> writable = List.of();
        private RestartPolicy restart = RestartPolicy.NEVER;
        private @Nullable Object limits;
        private @Nullable Consumer<String> stdout;

        private Builder(String name, List<String> argv, Path cwd) {
            this.name = name;
            this.argv = argv;
            this.cwd = cwd;
        }

        Builder env(Map<String, String> value) {
            env = value;
            return this;
        }

        Builder sandboxed(boolean value) {
            sandboxed = value;
            return this;
        }

        Builder profile(@Nullable String value) {
            profile = value;
            return this;
        }

        Builder mounts(List<Path> readOnlyPaths, List<Path> writablePaths) {
            readOnly = readOnlyPaths;
            writable = writablePaths;
            return this;
        }

        Builder restart(RestartPolicy value) {
            restart = value;
            return this;
        }

        Builder limits(@Nullable Object value) {
            limits = value;
            return this;
        }

        Builder stdout(@Nullable Consumer<String> value) {
            stdout = value;
            return this;
        }

        SpawnRequest build() {
            return new SpawnRequest(
                    name, argv, cwd, env, sandboxed, profile, readOnly, writable, restart, limits, stdout);
        }
    }
}
