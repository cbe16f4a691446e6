package io.oqto.api.unix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Account lookups through {@code getent passwd}, so NSS sources (LDAP, sssd) count, not just /etc/passwd.
 */
public final class UnixAccounts {

    /** Names we are willing to pass to getent: the portable POSIX user-name set. */
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}\\$?");

    private UnixAccounts() {}

    /** The effective uid of this process (the owner of /proc/self). */
    public static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot determine own uid from /proc/self", e);
        }
    }

    /** Looks up an account by name; empty when it does not exist or the name is not a valid user name. */
    public static Optional<UnixAccount> byName(String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return getent(name);
    }

    /** Looks up an account by uid. */
    public static Optional<UnixAccount> byUid(int uid) {
        return uid < 0 ? Optional.empty() : getent(Integer.toString(uid));
    }

    private static Optional<UnixAccount> getent(String key) {
        try {
            Process p = new ProcessBuilder("getent", "passwd", key)
                    .redirectErrorStream(true)
                    .start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? parse(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Optional<UnixAccount> parse(String passwdLine) {
        String[] f = passwdLine.split(":", -1);
        if (f.length < 7) {
            return Optional.empty();
        }
        try {
            return Optional.of(new UnixAccount(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
