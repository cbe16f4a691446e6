package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerMessage;

/** Reply to {@link SpawnProcess} and {@link GetProcess}. */
@RunnerMessage({"process_status", "process_spawned"})
public record ProcessReply(ProcessInfo process) {}
