package io.oqto.api.unix;

import java.nio.file.Path;

/**
 * The home directory of the user a process serves: {@code $HOME} when it is an absolute path, else the
 * JVM's {@code user.home} (which Java takes from the password database). Every runner bundle uses this one
 * answer, so the sandbox, the workspace and pi (which reads {@code $HOME}) agree on where {@code ~} is.
 */
public final class Home {

    private Home() {
    }

    public static Path current() {
        String env = System.getenv("HOME");
        return env != null && env.startsWith("/") ? Path.of(env) : Path.of(System.getProperty("user.home"));
    }
}
