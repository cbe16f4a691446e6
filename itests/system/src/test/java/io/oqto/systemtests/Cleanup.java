package io.oqto.systemtests;

import org.jspecify.annotations.Nullable;

/**
 * Runs a test fixture's teardown steps so that each one runs even when one before it failed, then reports the first
 * failure (the others added to it as suppressed): a step skipped would leave users or files that fail later tests.
 */
final class Cleanup {

    /** One teardown step. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private @Nullable Exception first;

    void run(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            // An interruption is remembered, not restored at once: the later steps still run their commands.
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }
    }

    void rethrow() throws Exception {
        if (first != null) {
            if (first instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw first;
        }
    }
}
