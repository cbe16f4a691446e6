package io.oqto.api.runner.terminals;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/**
 * Hands over the terminal's one connection: the reply comes with a connected socket to its program (send it with
 * {@link io.oqto.api.runner.RunnerGateway#handOver}), which speaks ttyd's WebSocket protocol. A second connect is
 * {@code invalid_state}.
 */
@RunnerMessage("connect_terminal")
public record ConnectTerminal(String terminal) implements RunnerRequest<TerminalConnected> {}
