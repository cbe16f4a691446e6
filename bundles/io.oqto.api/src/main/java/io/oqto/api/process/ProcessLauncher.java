package io.oqto.api.process;

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
}
