package io.oqto.runner.spi;

import io.oqto.runner.protocol.ProtocolException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The user's workspace and the one rule for paths in requests: resolved inside the workspace root or
 * refused with {@code path_not_allowed}. Registered by the workspace bundle; any operation that takes a
 * path (files, a process's working directory) goes through it.
 */
@ProviderType
public interface WorkspacePaths {

    /** The workspace root, symlinks resolved. */
    Path root();

    /** An existing path inside the workspace, symlinks resolved. */
    Path existing(String requested) throws ProtocolException;

    /** A path to create or replace inside the workspace (its existing ancestor resolved). */
    Path forWrite(String requested) throws ProtocolException;
}
