package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reply to {@link ReadOutput}.
 *
 * @param next the sequence number to ask after next time
 * @param dropped lines that had left the runner's buffer before they were asked for
 */
@RunnerMessage("output")
public record OutputPage(
        List<OutputLine> lines,
        long next,
        long dropped,
        boolean running,
        @Nullable Integer exitCode) {}
