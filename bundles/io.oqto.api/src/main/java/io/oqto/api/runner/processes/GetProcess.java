package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** One process's status. */
@RunnerMessage("process_status")
public record GetProcess(String name) implements RunnerRequest<ProcessReply> {}
