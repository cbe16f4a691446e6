package io.oqto.api.unix;

import java.nio.file.Path;

/**
 * The home directory of the user a process serves, and the XDG directories under it: {@code $HOME} when it
 * is an absolute path, else the JVM's {@code user.home} (which Java takes from the password database). The
 * launchers and scripts use {@code $HOME} too, so with {@code HOME} set otherwise (containers, {@code sudo -E},
 * a test account) every file location still agrees: where the control plane writes the admin token is where
 * the run command waits for it, and the sandbox, the workspace and pi agree on where {@code ~} is.
 */
public final class Home {

    private Home() {}

    public static Path current() {
        return absolute(System.getenv("HOME"), Path.of(System.getProperty("user.home")));
    }

    /** {@code $XDG_STATE_HOME}, else {@code ~/.local/state}. */
    public static Path state() {
        return absolute(
                System.getenv("XDG_STATE_HOME"), current().resolve(".local").resolve("state"));
    }

    /** {@code $XDG_CONFIG_HOME}, else {@code ~/.config}. */
    public static Path config() {
        return absolute(System.getenv("XDG_CONFIG_HOME"), current().resolve(".config"));
    }

    /** {@code value} as a path when it is absolute (the XDG rule: relative values are ignored), else {@code otherwise}. */
    static Path absolute(String value, Path otherwise) {
        return value != null && value.startsWith("/") ? Path.of(value) : otherwise;
    }
}
