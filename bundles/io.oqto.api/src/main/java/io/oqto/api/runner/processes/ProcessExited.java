package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerMessage;
import org.jspecify.annotations.Nullable;

/** The followed process exited; with {@code restarting} the subscription follows the restarted process. */
@RunnerMessage("process_exited")
public record ProcessExited(
        String name, @Nullable Integer exitCode, @Nullable String exitSignal, int restarts, boolean restarting)
        implements RunnerEvent {}
