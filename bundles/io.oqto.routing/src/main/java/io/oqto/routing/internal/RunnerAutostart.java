package io.oqto.routing.internal;

import io.oqto.api.runner.RunnerUnavailableException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-user mode only: when the user's runner does not answer, start it with the configured launcher
 * and wait until it accepts a connection. The runner is started detached from the request thread and
 * logs to {@code <socket dir>/oqto-runner.log}; it outlives a control-plane restart.
 */
final class RunnerAutostart implements RunnerPool.Connector {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerAutostart.class);

    private final RunnerPool.Connector delegate;
    private final String command;
    private final long startTimeoutMs;
    private final Object startLock = new Object();

    RunnerAutostart(RunnerPool.Connector delegate, String command, long startTimeoutMs) {
        this.delegate = delegate;
        this.command = command;
        this.startTimeoutMs = startTimeoutMs;
    }

    @Override
    public RunnerConnection open(Path socket, int expectedUid, int timeoutMs) {
        try {
            return delegate.open(socket, expectedUid, timeoutMs);
        } catch (RunnerUnavailableException first) {
            synchronized (startLock) {
                try {
                    return delegate.open(socket, expectedUid, timeoutMs);
                } catch (RunnerUnavailableException again) {
                    start(socket);
                }
                return waitForRunner(socket, expectedUid, timeoutMs, first);
            }
        }
    }

    private void start(Path socket) {
        if (!Files.isExecutable(Path.of(command))) {
            throw new RunnerUnavailableException(
                    "runner not answering on " + socket + " and the runner launcher " + command + " is not executable");
        }
        File log = socket.resolveSibling("oqto-runner.log").toFile();
        try {
            new ProcessBuilder(List.of(command, "--socket", socket.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            LOG.info("started runner {} --socket {} (log: {})", command, socket, log);
        } catch (IOException e) {
            throw new RunnerUnavailableException("cannot start runner " + command + ": " + e.getMessage(), e);
        }
    }

    private RunnerConnection waitForRunner(Path socket, int uid, int timeoutMs, RuntimeException cause) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startTimeoutMs);
        RunnerUnavailableException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return delegate.open(socket, uid, timeoutMs);
            } catch (RunnerUnavailableException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new RunnerUnavailableException(
                "started the runner but it did not answer on " + socket + " within " + startTimeoutMs + " ms"
                        + (last == null ? "" : ": " + last.getMessage()),
                cause);
    }
}
