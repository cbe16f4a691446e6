package io.oqto.shell.internal;

import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.PasswordException;
import io.oqto.api.auth.Passwords;
import io.oqto.api.users.ProvisioningException;
import io.oqto.api.users.UserProvisioning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code oqto:user-passwd --password-file FILE <name>}: sets a user's password, read from the first line of a file
 * only the control plane's user can read (0600), which is then removed — never from the command line, which other
 * local users can read and the console keeps in its history. Ends the user's browser sessions.
 * {@code oqtoctl user passwd NAME} writes the file and runs it.
 */
@Service
@Command(scope = "oqto", name = "user-passwd", description = "Set a platform user's password (from a 0600 file)")
public class UserPasswdCommand extends OqtoCommand {

    @Option(
            name = "--password-file",
            required = true,
            description = "A file (0600, the control plane's user's) whose first line is the password; removed after")
    String passwordFile;

    @Reference
    Passwords passwords;

    @Reference
    BrowserSessions sessions;

    @Reference
    UserProvisioning users;

    @Argument(index = 0, name = "name", required = true, description = "Platform user")
    @Completion(PlatformUserCompleter.class)
    String name;

    @Override
    String auditTarget() {
        return String.valueOf(name);
    }

    @Override
    void run() {
        boolean known;
        try {
            known = users.find(name).isPresent();
        } catch (ProvisioningException e) {
            if (e.kind() != ProvisioningException.Kind.UNAVAILABLE) {
                throw e;
            }
            known = name.equals(System.getProperty("user.name")); // single-user mode: the one user
        }
        if (!known) {
            throw new IllegalArgumentException("no such user: " + name);
        }
        String password = readAndRemove(Path.of(passwordFile));
        try {
            passwords.set(name, password.toCharArray());
        } catch (PasswordException e) {
            throw new IllegalArgumentException("refused: " + e.getMessage(), e);
        }
        int ended = sessions.endAll(name, null);
        out.printf("password of %s set; %d browser session(s) ended%n", name, ended);
    }

    /** The first line of a private file, which is removed whatever happens; refused when others could read it. */
    static String readAndRemove(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!mode.equals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))
                    || !Files.getOwner(file, LinkOption.NOFOLLOW_LINKS)
                            .getName()
                            .equals(System.getProperty("user.name"))) {
                throw new IllegalArgumentException(file + " must be a 0600 file of " + System.getProperty("user.name")
                        + ": a password others" + " could read is refused");
            }
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("no password in " + file);
            }
            return lines.get(0);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Reported by the outcome above; a file we could not remove is the operator's to remove.
            }
        }
    }
}
