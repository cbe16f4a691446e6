package io.oqto.api.runner;

import java.util.Map;

/**
 * What a runner is doing, as its status reports it: the figures the control plane's metrics sum over runners.
 *
 * @param connections connections open to the runner (the control plane's pool among them)
 * @param subscriptions event subscriptions open (session events, process output)
 * @param sessions agent sessions by state ({@code starting}, {@code idle}, {@code streaming}, …)
 * @param processes processes running
 * @param terminals terminals open
 */
public record RunnerLoad(
        int connections, int subscriptions, Map<String, Integer> sessions, int processes, int terminals) {

    public RunnerLoad {
        sessions = Map.copyOf(sessions);
    }
}
