package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Starts a process; null fields take the runner's defaults (docs/runner-protocol.md).
 *
 * @param name 1-64 of {@code A-Za-z0-9._-}, unique among running processes
 * @param cwd workspace-relative working directory ({@code .})
 * @param sandboxed false only for admins (the REST API enforces it)
 * @param profile a built-in sandbox profile, which can only tighten the policy in force
 */
@RunnerMessage("spawn_process")
public record SpawnProcess(
        @Nullable String name,
        @Nullable List<String> argv,
        @Nullable String cwd,
        @Nullable Map<String, String> env,
        @Nullable Boolean sandboxed,
        @Nullable String profile,
        @Nullable RestartSpec restart,
        @Nullable LimitsSpec limits)
        implements RunnerRequest<ProcessReply> {}
