package io.oqto.gate.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Open or held, and how many requests are through: the gate's state, apart from HTTP so it can be tested alone.
 * Waits are bounded and woken by the change they wait for. It starts open, and a hold never outlasts one wait: the
 * first request that waited the whole time opens it again (it is answered 503; the ones after it go through to
 * whatever serves), so a REST API that never came back cannot leave the API held for good.
 */
final class Gate {

    private boolean open = true;
    private int through;

    /** Lets the caller through (counted) once the gate is open, waiting up to {@code wait}; false if it stayed held. */
    synchronized boolean enter(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!open) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                open = true; // the hold has lasted a whole wait: it ends here
                notifyAll();
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        through++;
        return true;
    }

    synchronized void leave() {
        through--;
        notifyAll();
    }

    synchronized void open() {
        open = true;
        notifyAll();
    }

    synchronized void hold() {
        open = false;
    }

    synchronized boolean isOpen() {
        return open;
    }

    synchronized int through() {
        return through;
    }

    /** Waits up to {@code timeout} for no request to be through; true when none is. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (through > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
