package io.oqto.runner.spi.process;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** Launches programs whose standard output another bundle reads itself (line by line, unbuffered). */
@ProviderType
public interface ProcessLauncher {

    /**
     * Starts the program. Its stdout lines go to {@link LaunchRequest#stdout()} on a thread of the
     * launcher's (hand them over, don't block); stderr is kept like any process's output.
     *
     * @throws LaunchException when nothing was started: the code is a runner protocol error code
     *     ({@code spawn_failed}, {@code sandbox_error}, {@code process_exists}, {@code path_not_allowed}, …)
     */
    LaunchedProcess launch(LaunchRequest request) throws LaunchException;

    /**
     * Starts one of the named programs of {@code [programs]} (such as {@code pi}: {@code pi --mode rpc
     * [pi_args] args}) the same way, with the program's binary looked up and its installation mounted;
     * no readiness check (the caller knows the program's protocol).
     *
     * @throws LaunchException as for {@link #launch}; a missing binary names the places looked in
     */
    LaunchedProcess launchProgram(
            String program,
            String name,
            List<String> args,
            String cwd,
            Map<String, String> env,
            Consumer<String> stdout)
            throws LaunchException;

    /**
     * Starts a named program that serves a Unix socket ({@code fileserver}, {@code ttyd}) as {@code start_program}
     * does, and returns once it answers there.
     *
     * @param args the program's own arguments: only {@code --once} for {@code ttyd}
     * @throws LaunchException as for {@link #launch}; also when it exits, or does not answer in time (then it is
     *     stopped)
     * @since 1.1
     */
    ServingProgram startServing(String program, String name, List<String> args, String cwd) throws LaunchException;
}
