package io.oqto.api.runner.terminals;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;

/** Reply to {@link ListTerminals}, oldest first. */
@RunnerMessage("terminal_list")
public record TerminalList(List<Terminal> terminals) {}
