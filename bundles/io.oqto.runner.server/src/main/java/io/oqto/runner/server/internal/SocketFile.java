package io.oqto.runner.server.internal;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The socket file's life: prepare the directory, tell a stale file from a live runner, restrict access
 * to the owner, grant the control-plane user through a POSIX ACL entry that names only that user, and
 * remove the file on shutdown only if it is still ours.
 */
final class SocketFile {

    /** Unix socket paths are limited to 108 bytes including the terminating NUL. */
    static final int MAX_PATH_BYTES = 107;

    private final Path path;
    private @Nullable Object fileKey;

    SocketFile(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    Path path() {
        return path;
    }

    /** Makes the path bindable: checks its length, creates the directory (0700), removes a stale socket. */
    void prepare() throws IOException {
        if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("socket path is longer than " + MAX_PATH_BYTES + " bytes: " + path);
        }
        Path dir = SocketLocation.parentOf(path);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (answers(path)) {
                throw new AlreadyRunningException("another runner is already listening on " + path);
            }
            if (!isSocket(path)) {
                throw new IOException(path + " exists and is not a socket; refusing to replace it");
            }
            Files.delete(path);
        }
    }

    /** After bind: owner-only access, remember the inode, and grant the control-plane user if any. */
    void secure(@Nullable String controlPlaneUser) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
        if (controlPlaneUser != null
                && !controlPlaneUser.isEmpty()
                && !controlPlaneUser.equals(System.getProperty("user.name"))) {
            setfacl("u:" + controlPlaneUser + ":--x", SocketLocation.parentOf(path));
            setfacl("u:" + controlPlaneUser + ":rw-", path);
        }
    }

    /** Deletes the socket file if it is still the one we bound (a newer runner may have replaced it). */
    void remove() {
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            if (fileKey != null && fileKey.equals(now)) {
                Files.delete(path);
            }
        } catch (IOException e) {
            // already gone
        }
    }

    private static boolean answers(Path p) {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(p))) {
            return true;
        } catch (SocketException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isSocket(Path p) throws IOException {
        Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return mode instanceof Integer m && (m & 0170000) == 0140000;
    }

    private static void setfacl(String entry, Path target) throws IOException {
        List<String> cmd = List.of("setfacl", "-m", entry, target.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot grant the control-plane user access: setfacl is not installed (package acl)", e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("setfacl " + entry + " " + target + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while granting socket access", e);
        }
    }

    /** A live runner already owns the path. */
    static final class AlreadyRunningException extends IOException {
        private static final long serialVersionUID = 1L;

        AlreadyRunningException(String message) {
            super(message);
        }
    }
}
