package io.oqto.api.runner.terminals;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Ends a terminal: its program, its shell and everything the shell started. */
@RunnerMessage("delete_terminal")
public record DeleteTerminal(String terminal) implements RunnerRequest<TerminalDeleted> {}
