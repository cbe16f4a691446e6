package io.oqto.api.runner.processes;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A process as the runner reports it.
 *
 * @param exitCode null while running; 128 + the signal number for a process ended by a signal
 * @param restart the restart policy in force ({@code policy}, and {@code max}, {@code backoff_ms} when it restarts)
 * @param limits the limits applied: {@code memory_mb}, {@code tasks}, {@code cpu_percent}, {@code mechanism}
 * @param command what was executed, the limits and sandbox wrappers included
 */
public record ProcessInfo(
        String name,
        long pid,
        boolean running,
        @Nullable Integer exitCode,
        @Nullable String exitSignal,
        String startedAt,
        List<String> argv,
        boolean sandboxed,
        Map<String, Object> restart,
        int restarts,
        Map<String, Object> limits,
        List<String> command) {}
