package io.oqto.api.runner.terminals;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** The runner's terminals. */
@RunnerMessage("list_terminals")
public record ListTerminals() implements RunnerRequest<TerminalList> {}
