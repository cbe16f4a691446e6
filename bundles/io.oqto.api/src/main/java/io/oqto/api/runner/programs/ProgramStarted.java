package io.oqto.api.runner.programs;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.processes.ProcessInfo;
import org.jspecify.annotations.Nullable;

/** Reply to {@link StartProgram}: the process, the Unix socket a server listens on (null for pi), time to ready. */
@RunnerMessage("program_started")
public record ProgramStarted(ProcessInfo process, @Nullable String socket, long readyMs) {}
