package io.oqto.api.runner.terminals;

import io.oqto.api.runner.RunnerMessage;

/** Reply to {@link ConnectTerminal}; the connection comes beside it. */
@RunnerMessage("terminal_connected")
public record TerminalConnected(String terminal) {}
