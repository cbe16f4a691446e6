package io.oqto.process.internal;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts every process from one thread that lives as long as the bundle. Linux's parent-death signal,
 * which bubblewrap's {@code --die-with-parent} uses, fires when the <em>thread</em> that started a
 * process ends, not the runner: started from a pool thread that is later retired, a program would be
 * killed for no reason.
 */
final class Launcher implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "oqto-process-launcher");
        t.setDaemon(true);
        return t;
    });

    Process start(ProcessBuilder builder) throws IOException, InterruptedException {
        Future<Process> started = thread.submit(builder::start);
        try {
            return started.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
