package io.oqto.workspace.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.protocol.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Turns a requested path into one inside the workspace root, or refuses it with {@code path_not_allowed}.
 * Paths are relative to the root (an absolute path must name something inside it); {@code ..} segments,
 * NUL bytes, over-long paths and anything whose real path (symlinks resolved) leaves the root are refused.
 * The original runner had no such check.
 */
final class PathGuard implements WorkspacePaths {

    static final int MAX_PATH_BYTES = 4096;
    static final int MAX_SEGMENT_BYTES = 255;

    private final Path root;
    private final Path realRoot;

    PathGuard(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = root.toRealPath();
    }

    @Override
    public Path root() {
        return realRoot;
    }

    /** An existing path, symlinks resolved, inside the root. */
    @Override
    public Path existing(String requested) throws ProtocolException {
        Path lexical = lexical(requested);
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ProtocolException(ErrorCode.PATH_NOT_FOUND, "no such file or directory: " + requested, null);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.IO_ERROR, "cannot resolve " + requested + ": " + e.getMessage(), null);
        }
        return inside(real, requested);
    }

    /**
     * A path to create or replace: its deepest existing ancestor must resolve inside the root. A symlink
     * at the path itself is replaced (writes go to a temporary file renamed over it), never followed.
     */
    @Override
    public Path forWrite(String requested) throws ProtocolException {
        Path lexical = lexical(requested);
        if (lexical.equals(realRoot)) {
            throw notAllowed(requested, "it is the workspace root itself");
        }
        Path ancestor = lexical.getParent();
        while (!Files.exists(ancestor, LinkOption.NOFOLLOW_LINKS)) {
            ancestor = ancestor.getParent();
        }
        try {
            Path realAncestor = inside(ancestor.toRealPath(), requested);
            return realAncestor.resolve(ancestor.relativize(lexical));
        } catch (NoSuchFileException e) {
            throw notAllowed(requested, "it passes through a broken symbolic link");
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.IO_ERROR, "cannot resolve " + requested + ": " + e.getMessage(), null);
        }
    }

    private Path inside(Path real, String requested) throws ProtocolException {
        if (!real.startsWith(realRoot)) {
            throw notAllowed(requested, "it resolves outside the workspace");
        }
        return real;
    }

    /** The lexical checks: no NUL, bounded length, no {@code ..}, absolute only inside the root. */
    private Path lexical(String requested) throws ProtocolException {
        if (requested == null) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"path\" is required", null);
        }
        if (requested.indexOf('\0') >= 0) {
            throw notAllowed(requested.replace("\0", "\\0"), "it contains a NUL byte");
        }
        if (requested.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw notAllowed(requested.substring(0, 32) + "…", "it is longer than " + MAX_PATH_BYTES + " bytes");
        }
        String relative = requested;
        if (requested.startsWith("/")) {
            Path abs = Path.of(requested);
            Path base = abs.startsWith(realRoot) ? realRoot : abs.startsWith(root) ? root : null;
            if (base == null || requested.contains("/../") || requested.endsWith("/..")) {
                throw notAllowed(requested, "an absolute path must lie inside the workspace " + realRoot);
            }
            relative = base.relativize(abs).toString();
        }
        Path result = realRoot;
        for (String segment : relative.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw notAllowed(requested, "it contains ..");
            }
            if (segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw notAllowed(requested, "a name is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
            result = result.resolve(segment);
        }
        return result;
    }

    private static ProtocolException notAllowed(String requested, String why) {
        return new ProtocolException(ErrorCode.PATH_NOT_ALLOWED, "path " + requested + " is not allowed: " + why, null);
    }
}
