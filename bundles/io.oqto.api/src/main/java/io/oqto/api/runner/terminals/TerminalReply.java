package io.oqto.api.runner.terminals;

import io.oqto.api.runner.RunnerMessage;

/** Reply to {@link CreateTerminal}. */
@RunnerMessage("terminal")
public record TerminalReply(Terminal terminal) {}
