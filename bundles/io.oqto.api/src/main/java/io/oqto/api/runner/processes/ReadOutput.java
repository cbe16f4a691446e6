package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Up to {@code max} (1000, at most 5000) output lines numbered after {@code after}. */
@RunnerMessage("read_output")
public record ReadOutput(String name, long after, long max) implements RunnerRequest<OutputPage> {}
