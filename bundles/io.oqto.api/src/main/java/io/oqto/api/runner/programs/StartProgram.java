package io.oqto.api.runner.programs;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Starts a named program and answers once it is ready.
 *
 * @param program {@code pi}, {@code fileserver} or {@code ttyd}
 * @param name the process name (the program's by default)
 * @param args more arguments (pi only)
 * @param cwd workspace-relative ({@code .})
 */
@RunnerMessage("start_program")
public record StartProgram(
        String program,
        @Nullable String name,
        @Nullable List<String> args,
        @Nullable String cwd) implements RunnerRequest<ProgramStarted> {}
