package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerMessage;

/** {@code dropped} lines left the runner's buffer before this subscriber got them; it goes on after {@code resumedAfter}. */
@RunnerMessage("output_overflow")
public record OutputOverflow(String name, long dropped, long resumedAfter) implements RunnerEvent {}
