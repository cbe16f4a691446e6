package io.oqto.runner.server.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * When a socket-activated runner has been idle long enough to end: {@code [runner] idle_exit_seconds} since the last
 * connection or request, and nothing keeps it (see {@link RunnerServer#keepsRunning}). 0 means never.
 */
final class IdleExit {

    /** How often the acceptor looks (its accept timeout). */
    static final int CHECK_MS = 1000;

    private final int seconds;
    private final Runnable exit;
    private volatile long lastActivity = System.nanoTime();

    IdleExit(int seconds, Runnable exit) {
        this.seconds = seconds;
        this.exit = exit;
    }

    int seconds() {
        return seconds;
    }

    /** A connection came in or a request arrived. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /** Whether the runner should end now. */
    boolean due(Supplier<List<String>> keepsRunning) {
        if (seconds <= 0 || System.nanoTime() - lastActivity < TimeUnit.SECONDS.toNanos(seconds)) {
            return false;
        }
        if (!keepsRunning.get().isEmpty()) {
            // Still busy: look again a whole idle time after, not every second.
            touch();
            return false;
        }
        return true;
    }

    void exit() {
        exit.run();
    }
}
