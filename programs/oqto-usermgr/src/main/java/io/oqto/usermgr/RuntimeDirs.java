package io.oqto.usermgr;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * {@code /run/user/<uid>}: 0700 and the user's, plus one POSIX ACL entry letting the control plane's user
 * (and nobody else) pass through to the runner socket. The runner repeats the grant on its socket when it
 * starts, because logind recreates the directory at every boot.
 */
final class RuntimeDirs {

    private static final Path BASE = Path.of("/run/user");
    private final Exec exec;
    private final String controlPlaneUser;

    RuntimeDirs(Exec exec, String controlPlaneUser) {
        this.exec = exec;
        this.controlPlaneUser = controlPlaneUser;
    }

    /** Creates the directory when missing; an existing one must be a real directory owned by the user. */
    void create(Account a) throws IOException {
        if (!Files.isDirectory(BASE, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(
                    BASE, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        Path dir = a.runtimeDir();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setAttribute(dir, "unix:uid", a.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:gid", a.gid(), LinkOption.NOFOLLOW_LINKS);
        }
        secure(a);
    }

    /** Checks owner and type, sets 0700 and the control plane's pass-through grant. */
    void secure(Account a) throws IOException {
        Path dir = a.runtimeDir();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                || (int) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) != a.uid()) {
            throw new IOException(dir + " is not a directory owned by " + a.name() + "; refusing to use it");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        exec.check(List.of(Bin.SETFACL, "--physical", "--modify", "u:" + controlPlaneUser + ":--x", dir.toString()));
    }

    /** The control plane's grant on a socket in the directory (the runner's, held by the helper): read and write. */
    void grantSocket(Path socket) throws IOException {
        exec.check(List.of(Bin.SETFACL, "--physical", "--modify", "u:" + controlPlaneUser + ":rw-", socket.toString()));
    }

    /** Removes the directory and everything in it, never following a link out of it. */
    void remove(Account a) throws IOException {
        Path dir = a.runtimeDir();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
