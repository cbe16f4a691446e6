package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerMessage;
import java.util.List;

/** New output lines of the followed process. */
@RunnerMessage("output")
public record Output(String name, List<OutputLine> lines) implements RunnerEvent {}
