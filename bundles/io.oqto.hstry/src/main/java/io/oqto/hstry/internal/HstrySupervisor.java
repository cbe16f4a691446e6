package io.oqto.hstry.internal;

import io.oqto.api.unix.ProgramLookup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-user mode: the runner's own supervision of hstry (the seed's fallback when no service manager runs it).
 * When hstry is installed but does not answer, {@code hstry service run} is started as the runner's child, its
 * output appended to a log in the user's state directory; one that exits is started again, at most once per
 * {@link #BACKOFF_MS}. Stopping the connector stops it: nothing outlives its runner.
 */
final class HstrySupervisor {

    static final long BACKOFF_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(HstrySupervisor.class);

    private final Path log;
    private @Nullable Process process;
    private long lastStartMs = -BACKOFF_MS;

    HstrySupervisor(Path log) {
        this.log = log;
    }

    /**
     * Starts {@code program service run} unless one we started still runs or the last start is too recent; what was
     * done, in words for the caller's error message.
     */
    synchronized String startIfInstalled(String program) {
        Process p = process;
        if (p != null && p.isAlive()) {
            return "hstry (pid " + p.pid() + ", started by the runner) is starting";
        }
        Path binary = ProgramLookup.find(program);
        if (binary == null) {
            return "hstry is not installed ([history] hstry = \"" + program + "\" is not on PATH)";
        }
        long now = System.currentTimeMillis();
        if (now - lastStartMs < BACKOFF_MS) {
            return "hstry exited; it is started again in " + (BACKOFF_MS - (now - lastStartMs)) + " ms";
        }
        lastStartMs = now;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(List.of(binary.toString(), "service", "run"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            LOG.info("started {} service run (pid {}), output in {}", binary, process.pid(), log);
            return "hstry was not running: started " + binary + " service run (pid " + process.pid() + ")";
        } catch (IOException e) {
            return "cannot start " + binary + " service run: " + e.getMessage();
        }
    }

    /** The hstry this supervisor started, if it runs. */
    synchronized @Nullable Process process() {
        return process;
    }

    /** Stops the hstry it started (SIGTERM, then SIGKILL after five seconds). */
    synchronized void stop() {
        Process p = process;
        process = null;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
