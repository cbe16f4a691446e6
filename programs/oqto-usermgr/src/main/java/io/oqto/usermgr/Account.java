package io.oqto.usermgr;

import java.nio.file.Path;

/** A Linux account as {@code getent passwd} shows it. */
record Account(String name, int uid, int gid, Path home) {

    /** {@code /run/user/<uid>}: the user's runtime directory, where the runner's socket lives. */
    Path runtimeDir() {
        return Path.of("/run/user", Integer.toString(uid));
    }

    static Account parsePasswd(String line) {
        String[] f = line.strip().split(":", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("not a passwd line: " + line);
        }
        return new Account(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Path.of(f[5]));
    }
}
