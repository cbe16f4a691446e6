package io.oqto.runner.spi.process;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/** A launched program. */
@ProviderType
public interface LaunchedProcess {

    long pid();

    /** What was executed, sandbox and limits wrappers included. */
    List<String> command();

    /** Writes one line (a line break is added) to its stdin. */
    void writeLine(String line) throws IOException;

    /** Completes with the exit code (128 + n for signal n) once it has exited and every stdout line was delivered. */
    CompletionStage<Integer> exited();

    /** SIGTERM to its process tree, SIGKILL after {@code graceMs}; returns when it has exited. */
    void stop(long graceMs) throws InterruptedException;

    /** Its last stderr lines, oldest first. */
    List<String> stderrTail(int lines);
}
