package io.oqto.runner.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one rule for paths a client names, relative to a root (a workspace): a path is resolved inside the root
 * or refused. Paths are relative to the root (an absolute one must name something inside it); {@code ..}
 * segments, NUL bytes, over-long paths and names, and anything whose real path (symlinks resolved) leaves the
 * root are refused. The runner's workspace requests and the file server both use it; the original Oqto had no
 * such check.
 */
public final class ConfinedPaths {

    public static final int MAX_PATH_BYTES = 4096;
    public static final int MAX_SEGMENT_BYTES = 255;

    /** Why a path was refused. */
    public enum Reason {
        /** Outside the root, {@code ..}, NUL, too long, through a broken link. */
        NOT_ALLOWED,
        /** The path must exist and does not. */
        NOT_FOUND,
        /** The operating system failed to resolve it. */
        IO_ERROR
    }

    /** A refused path; the message names the path and why. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final Reason reason;

        Refused(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    private final Path root;
    private final Path realRoot;

    public ConfinedPaths(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = root.toRealPath();
    }

    /** The root, symlinks resolved. */
    public Path root() {
        return realRoot;
    }

    /** An existing path inside the root, symlinks resolved. */
    public Path existing(String requested) throws Refused {
        Path lexical = lexical(requested);
        try {
            return inside(lexical.toRealPath(), requested);
        } catch (NoSuchFileException e) {
            throw new Refused(Reason.NOT_FOUND, "no such file or directory: " + requested);
        } catch (IOException e) {
            throw new Refused(Reason.IO_ERROR, "cannot resolve " + requested + ": " + e.getMessage());
        }
    }

    /**
     * A path that need not exist: the deepest part of it that exists (the path itself included, symlinks
     * followed) must resolve inside the root, and what is below that would be created inside.
     */
    public Path resolve(String requested) throws Refused {
        Path lexical = lexical(requested);
        return below(deepestExisting(lexical), lexical, requested);
    }

    /**
     * A path to create or replace: its deepest existing ancestor must resolve inside the root. A symlink at the
     * path itself is not followed (a write replaces it); the root itself is refused.
     */
    public Path forWrite(String requested) throws Refused {
        Path lexical = lexical(requested);
        if (lexical.equals(realRoot)) {
            throw notAllowed(requested, "it is the workspace root itself");
        }
        Path parent = lexical.getParent(); // the lexical path lies below the root, so it has one
        return below(deepestExisting(parent == null ? realRoot : parent), lexical, requested);
    }

    /** The deepest existing path on the way down to {@code p}: the root at worst, which exists. */
    private Path deepestExisting(Path p) {
        Path existing = p;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = existing.getParent();
            if (parent == null) {
                return realRoot;
            }
            existing = parent;
        }
        return existing;
    }

    /** {@code lexical}, with its existing part {@code existing} resolved, if that stays inside the root. */
    private Path below(Path existing, Path lexical, String requested) throws Refused {
        try {
            return inside(existing.toRealPath(), requested).resolve(existing.relativize(lexical));
        } catch (NoSuchFileException e) {
            // A dangling link: where it points is unknown, so it is not followed.
            throw notAllowed(requested, "it passes through a broken symbolic link");
        } catch (IOException e) {
            throw new Refused(Reason.IO_ERROR, "cannot resolve " + requested + ": " + e.getMessage());
        }
    }

    private Path inside(Path real, String requested) throws Refused {
        if (!real.startsWith(realRoot)) {
            throw notAllowed(requested, "it resolves outside the workspace");
        }
        return real;
    }

    /** The lexical checks: no NUL, bounded length, no {@code ..}, absolute only inside the root. */
    private Path lexical(String requested) throws Refused {
        if (requested.indexOf('\0') >= 0) {
            throw notAllowed(requested.replace("\0", "\\0"), "it contains a NUL byte");
        }
        if (requested.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
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
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw notAllowed(requested, "it contains ..");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw notAllowed(requested, "a name is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
            result = result.resolve(segment);
        }
        return result;
    }

    private static Refused notAllowed(String requested, String why) {
        return new Refused(Reason.NOT_ALLOWED, "path " + requested + " is not allowed: " + why);
    }
}
