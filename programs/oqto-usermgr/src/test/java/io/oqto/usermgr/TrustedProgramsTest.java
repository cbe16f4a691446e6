package io.oqto.usermgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program the helper runs as every user must be root's, up to /, and writable by nobody else. Needs root. */
class TrustedProgramsTest {

    @TempDir
    Path dir;

    private Path program() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectories(dir.resolve("dist/bin"));
        Files.setPosixFilePermissions(dir.resolve("dist"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path p = Files.writeString(bin.resolve("oqto-runner"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void aRootOwnedProgramUnderAStickyTmpPasses() throws IOException {
        assertEquals(
                0,
                (int) (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"),
                "this test needs root (CI has it)");
        TrustedPrograms.check(program()); // /tmp is 1777 root: sticky, so fine
    }

    @Test
    void aWritableDirectoryOnTheWayOrAForeignOwnerIsRefused() throws IOException {
        Path p = program();
        Files.setPosixFilePermissions(p.getParent(), PosixFilePermissions.fromString("rwxrwxr-x"));
        assertEquals(
                "refusing to run " + p + " as platform users: " + p.getParent() + " is writable by others than root",
                assertThrows(IOException.class, () -> TrustedPrograms.check(p)).getMessage());
        Files.setPosixFilePermissions(p.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(p, "unix:uid", 4242);
        assertEquals(
                "refusing to run " + p + " as platform users: " + p + " is owned by uid 4242, not root",
                assertThrows(IOException.class, () -> TrustedPrograms.check(p)).getMessage());
        Path link = Files.createSymbolicLink(dir.resolve("link"), p);
        assertEquals(
                "refusing to run " + link + " as platform users: " + p + " is owned by uid 4242, not root",
                assertThrows(IOException.class, () -> TrustedPrograms.check(link))
                        .getMessage(),
                "a link is followed");
    }
}
