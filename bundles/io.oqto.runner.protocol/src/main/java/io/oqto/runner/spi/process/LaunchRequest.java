package io.oqto.runner.spi.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What to launch.
 *
 * @param name the process's name in the user's process table (1–64 of {@code A-Za-z0-9._-})
 * @param argv the program and its arguments
 * @param cwd the working directory, relative to the workspace root
 * @param env variables added to the environment
 * @param readOnly places the program needs to read besides the sandbox policy (its installation)
 * @param stdout receives each stdout line, without its line break; lines over 8 MiB are dropped (and noted
 *     on stderr) instead of filling the runner's memory
 */
public record LaunchRequest(
        String name,
        List<String> argv,
        String cwd,
        Map<String, String> env,
        List<Path> readOnly,
        Consumer<String> stdout) {

    public LaunchRequest {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        readOnly = List.copyOf(readOnly);
    }
}
