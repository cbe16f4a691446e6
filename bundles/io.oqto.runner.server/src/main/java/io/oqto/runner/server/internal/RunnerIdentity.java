package io.oqto.runner.server.internal;

import java.time.Instant;

/** Who this runner is, as reported by {@code welcome} and {@code status}. */
record RunnerIdentity(String version, long pid, int uid, String user, Instant startedAt) {

    static RunnerIdentity current(String version, int uid) {
        long pid = ProcessHandle.current().pid();
        Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        return new RunnerIdentity(version, pid, uid, System.getProperty("user.name"), started);
    }
}
