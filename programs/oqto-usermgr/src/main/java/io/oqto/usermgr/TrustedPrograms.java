package io.oqto.usermgr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The helper starts the configured services as every platform user, so whoever can change one of those
 * programs runs code as all of them. Like sshd's StrictModes: the program and every directory above it must
 * be root's and writable by nobody else (a sticky directory such as /tmp is fine: others cannot replace what
 * is not theirs). Symbolic links are followed to the file they name, and that file is checked.
 */
final class TrustedPrograms {

    private TrustedPrograms() {}

    /** Throws, naming the offending path, unless {@code program} is safe to run as other users. */
    static void check(Path program) throws IOException {
        Path real = program.toRealPath();
        for (Path p = real; p != null; p = p.getParent()) {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int owner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner != 0) {
                throw new IOException("refusing to run " + program + " as platform users: " + p + " is owned by uid "
                        + owner + ", not root");
            }
            Set<PosixFilePermission> perms = a.permissions();
            boolean othersWrite =
                    perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE);
            boolean sticky = a.isDirectory()
                    && ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 01000) != 0;
            if (othersWrite && !sticky) {
                throw new IOException(
                        "refusing to run " + program + " as platform users: " + p + " is writable by others than root");
            }
        }
    }
}
