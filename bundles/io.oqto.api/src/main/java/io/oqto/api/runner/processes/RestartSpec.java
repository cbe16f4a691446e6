package io.oqto.api.runner.processes;

import org.jspecify.annotations.Nullable;

/**
 * When a process is started again: {@code policy} {@code never} or {@code on-failure}, at most {@code max}
 * times (5), after {@code backoffMs} (1000) doubled per restart.
 */
public record RestartSpec(
        @Nullable String policy,
        @Nullable Integer max,
        @Nullable Long backoffMs) {}
