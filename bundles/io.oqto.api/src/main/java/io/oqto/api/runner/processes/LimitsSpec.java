package io.oqto.api.runner.processes;

/** Resource limits asked for a spawn; each at most, and by default, the configured ceiling. */
public record LimitsSpec(Long memoryMb, Long tasks, Long cpuPercent) {
}
