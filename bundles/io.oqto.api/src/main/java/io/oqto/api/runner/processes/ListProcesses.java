package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Every process the runner manages. */
@RunnerMessage("list_processes")
public record ListProcesses() implements RunnerRequest<ProcessList> {}
