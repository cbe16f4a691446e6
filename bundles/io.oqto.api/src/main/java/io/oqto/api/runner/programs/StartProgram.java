package io.oqto.api.runner.programs;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import java.util.List;

/**
 * Starts a named program and answers once it is ready.
 *
 * @param program {@code pi}, {@code fileserver} or {@code ttyd}
 * @param name the process name (the program's by default)
 * @param args more arguments (pi only)
 * @param cwd workspace-relative ({@code .})
 */
@RunnerMessage("start_program")
public record StartProgram(String program, String name, List<String> args, String cwd)
        implements RunnerRequest<ProgramStarted> {
}
