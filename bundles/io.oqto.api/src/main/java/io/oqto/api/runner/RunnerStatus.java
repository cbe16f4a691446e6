package io.oqto.api.runner;

import io.oqto.api.runner.history.HistoryState;
import org.jspecify.annotations.Nullable;

/**
 * What a runner reports about itself.
 *
 * @param user the platform user this runner serves
 * @param linuxUser the Linux account the runner process runs as
 * @param uid that account's uid, as the runner reports it and as checked by peer credentials
 * @param pid the runner's process id
 * @param version the runner's software version
 * @param protocol the runner protocol version it speaks
 * @param startedAt start time, ISO-8601
 * @param uptimeMillis time since start
 * @param socket the socket path the control plane reached it on
 * @param history where its agent sessions keep history and how many turns wait for the store (since 1.5; null from
 *     an older runner or one without agent sessions)
 * @param load its connections, subscriptions, sessions, processes and terminals (null from a runner older than
 *     protocol 1.10)
 */
public record RunnerStatus(
        String user,
        @Nullable String linuxUser,
        int uid,
        long pid,
        @Nullable String version,
        @Nullable String protocol,
        @Nullable String startedAt,
        long uptimeMillis,
        String socket,
        @Nullable HistoryState history,
        @Nullable RunnerLoad load) {}
