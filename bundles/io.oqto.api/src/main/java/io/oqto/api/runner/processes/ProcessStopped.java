package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerMessage;
import org.jspecify.annotations.Nullable;

/** Reply to {@link StopProcess}: whether SIGKILL was needed, and the exit code. */
@RunnerMessage("process_stopped")
public record ProcessStopped(boolean killed, @Nullable Integer exitCode) {}
