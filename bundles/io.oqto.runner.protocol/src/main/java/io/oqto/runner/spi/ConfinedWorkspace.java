package io.oqto.runner.spi;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The workspace's path rule ({@link ConfinedPaths}) in the protocol's terms: a refused path is
 * {@code path_not_allowed}, a missing one {@code path_not_found}. The workspace bundle registers one as the
 * {@link WorkspacePaths} service; tests of other runner bundles make their own.
 */
public final class ConfinedWorkspace implements WorkspacePaths {

    private final ConfinedPaths paths;

    public ConfinedWorkspace(Path root) throws IOException {
        this.paths = new ConfinedPaths(root);
    }

    @Override
    public Path root() {
        return paths.root();
    }

    @Override
    public Path existing(String requested) throws ProtocolException {
        try {
            return paths.existing(required(requested));
        } catch (ConfinedPaths.Refused e) {
            throw refused(e);
        }
    }

    @Override
    public Path forWrite(String requested) throws ProtocolException {
        try {
            return paths.forWrite(required(requested));
        } catch (ConfinedPaths.Refused e) {
            throw refused(e);
        }
    }

    private static String required(String requested) throws ProtocolException {
        if (requested == null) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"path\" is required", null);
        }
        return requested;
    }

    private static ProtocolException refused(ConfinedPaths.Refused e) {
        ErrorCode code = switch (e.reason()) {
            case NOT_ALLOWED -> ErrorCode.PATH_NOT_ALLOWED;
            case NOT_FOUND -> ErrorCode.PATH_NOT_FOUND;
            case IO_ERROR -> ErrorCode.IO_ERROR;
        };
        return new ProtocolException(code, String.valueOf(e.getMessage()), null);
    }
}
