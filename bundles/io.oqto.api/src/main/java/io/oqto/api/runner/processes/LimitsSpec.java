package io.oqto.api.runner.processes;

import org.jspecify.annotations.Nullable;

/** Resource limits asked for a spawn; each at most, and by default, the configured ceiling. */
public record LimitsSpec(
        @Nullable Long memoryMb,
        @Nullable Long tasks,
        @Nullable Long cpuPercent) {}
