package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** SIGTERM to the process tree, SIGKILL after {@code graceMs} (5000, at most 60000). */
@RunnerMessage("stop_process")
public record StopProcess(String name, long graceMs) implements RunnerRequest<ProcessStopped> {}
