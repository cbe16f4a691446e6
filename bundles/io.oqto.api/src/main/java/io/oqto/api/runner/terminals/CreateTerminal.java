package io.oqto.api.runner.terminals;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/**
 * Starts a terminal's program, sandboxed, and answers once it listens.
 *
 * @param cwd where the shell starts, workspace-relative; {@code .} by default
 */
@RunnerMessage("create_terminal")
public record CreateTerminal(@Nullable String cwd) implements RunnerRequest<TerminalReply> {}
