package io.oqto.api.runner.terminals;

import io.oqto.api.runner.RunnerMessage;

/** Reply to {@link DeleteTerminal}. */
@RunnerMessage("terminal_deleted")
public record TerminalDeleted(String terminal) {}
