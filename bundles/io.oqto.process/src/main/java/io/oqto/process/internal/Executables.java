package io.oqto.process.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a program before it is spawned. Once wrapped in the sandbox and the limits mechanism, a missing
 * program would only show as the wrapper's cryptic exit status; checked here, the error names the program
 * and every place that was looked in.
 */
final class Executables {

    private Executables() {}

    /** The program as given when it names a path, else the first executable of that name on {@code path}. */
    static Path resolve(String program, String path) throws ProtocolException {
        if (program.isEmpty() || program.indexOf('\0') >= 0) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"argv\"[0] must name a program", null);
        }
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
            throw notFound(
                    program, List.of(p.isAbsolute() ? p.toString() : program + " (relative to the working directory)"));
        }
        List<String> looked = new ArrayList<>();
        for (String dir : path.split(":", -1)) {
            if (dir.isEmpty() || !dir.startsWith("/")) {
                continue;
            }
            looked.add(dir);
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw notFound(program, looked);
    }

    private static ProtocolException notFound(String program, List<String> looked) {
        return new ProtocolException(
                ErrorCode.SPAWN_FAILED,
                "program \"" + program + "\" not found or not executable (looked in: " + String.join(", ", looked)
                        + ")",
                null);
    }
}
