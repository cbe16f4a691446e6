package io.oqto.runner.spi.sandbox;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Wraps a command in the sandbox the operator's policy ({@code /etc/oqto/sandbox.toml}) and the
 * workspace's own {@code .oqto/sandbox.toml} (which may only tighten it) call for.
 */
@ProviderType
public interface SandboxService {

    /**
     * The full command line to execute: bubblewrap's arguments followed by {@code argv}, or {@code argv}
     * unchanged when sandboxing is disabled.
     *
     * @throws SandboxUnavailableException when a sandbox is required but cannot be had (bwrap missing,
     *     policy invalid): spawning must fail closed
     */
    default List<String> command(Path workspace, List<String> argv) {
        return command(workspace, argv, List.of(), List.of(), null);
    }

    /**
     * Like {@link #command(Path, List)}, with places the program itself needs on top of the policy: its
     * installation ({@code readOnly}) or the directory of the socket it listens on ({@code writable}).
     * These are mounted before the policy's denies, so a deny still wins.
     *
     * @param profile a built-in profile the caller asks for, or null: it can only tighten the policy in
     *     force (union of denies, intersection of writes, stricter isolation), never loosen it
     * @throws SandboxUnavailableException as for {@link #command(Path, List)}
     * @throws IllegalArgumentException for an unknown profile name
     */
    List<String> command(
            Path workspace, List<String> argv, List<Path> readOnly, List<Path> writable, @Nullable String profile);

    /**
     * {@code argv} without restrictions but supervised: in a PID namespace of its own that ends, with
     * every process in it, when the runner ends or the process is stopped. For spawns that asked for no
     * sandbox; without bubblewrap only the program itself is tied to the runner's life.
     */
    List<String> supervised(List<String> argv);

    /** A one-line description of the policy in force, for status reports. */
    String describe();
}
