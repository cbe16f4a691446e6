package io.oqto.api.sandbox;

import java.nio.file.Path;
import java.util.List;
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
    List<String> command(Path workspace, List<String> argv);

    /** A one-line description of the policy in force, for status reports. */
    String describe();
}
