package io.oqto.api.runner.processes;

/**
 * When a process is started again: {@code policy} {@code never} or {@code on-failure}, at most {@code max}
 * times (5), after {@code backoffMs} (1000) doubled per restart.
 */
public record RestartSpec(String policy, Integer max, Long backoffMs) {
}
