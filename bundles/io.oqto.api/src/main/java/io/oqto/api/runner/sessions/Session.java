package io.oqto.api.runner.sessions;

import org.jspecify.annotations.Nullable;

/**
 * An agent session as the runner reports it.
 *
 * @param state {@code starting}, {@code idle}, {@code streaming}, {@code aborting} or {@code stopped}
 * @param stopReason why a stopped session stopped ({@code stopped}, {@code idle}, {@code stalled}, …)
 * @param lastSeq the sequence number of its last event
 * @param subscribers event subscriptions open on it
 * @param pid pi's process id while it runs
 * @param cost its LLM cost so far (since 1.4; null from an older runner)
 * @param title an earlier session's title in history (since 1.5)
 * @param messages an earlier session's messages in history (since 1.5)
 * @param resumable true for an earlier session: one in history with no session in the runner (stopped before the
 *     runner restarted); {@code restart_session} or {@code create_session {"resume": id}} continues it (since 1.5)
 */
public record Session(
        String id,
        String state,
        @Nullable String stopReason,
        String cwd,
        @Nullable String provider,
        @Nullable String model,
        @Nullable String piSessionId,
        String createdAt,
        long lastSeq,
        int subscribers,
        @Nullable Long pid,
        @Nullable SessionCost cost,
        @Nullable String title,
        @Nullable Long messages,
        @Nullable Boolean resumable) {}
