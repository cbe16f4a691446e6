package io.oqto.process.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a process's exit under its restart policy: nothing, or a restart after the policy's backoff, on
 * one daemon thread of its own. The exit and the decision are noted in the process's output ({@code [oqto] …}
 * on stderr), so a client following it sees why it ran again or did not.
 */
final class RestartScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestartScheduler.class);

    /** Restarts that were due but not done because the process was stopped meanwhile (seen by tests). */
    final AtomicInteger skipped = new AtomicInteger();

    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "oqto-process-restart");
        t.setDaemon(true);
        return t;
    });

    /**
     * Decides what follows {@code mp}'s exit with {@code code}; when a restart is due, runs {@code again} after
     * the backoff. Returns whether a restart was scheduled.
     */
    boolean afterExit(ManagedProcess mp, int code, Runnable again) {
        RestartPolicy policy = mp.restart();
        if (mp.stopRequested()) {
            if (policy.restarts(code, mp.restarts())) {
                skipped.incrementAndGet();
            }
            return false;
        }
        if (!policy.restarts(code, mp.restarts())) {
            if (policy.onFailure() && code != 0) {
                mp.output().add("stderr", "[oqto] exited with " + code + "; no restarts left");
            }
            return false;
        }
        long delay = policy.delayBefore(mp.restarts());
        LOG.warn("{} exited with {}; restart {} of {} in {} ms", mp.id(), code, mp.restarts() + 1, policy.max(), delay);
        mp.output().add("stderr", "[oqto] exited with " + code + "; restarting in " + delay + " ms");
        ScheduledFuture<?> unused =
                restarter.schedule(again, delay, TimeUnit.MILLISECONDS); // runs or is dropped on close
        return true;
    }

    /** A scheduled restart found its process stopped or replaced. */
    void skip() {
        skipped.incrementAndGet();
    }

    @Override
    public void close() {
        restarter.shutdownNow();
    }
}
