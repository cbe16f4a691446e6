package io.oqto.api.eavs;

import org.jspecify.annotations.Nullable;

/**
 * A virtual key as eavs describes it (no secret).
 *
 * @param owner null for a key without one
 * @param createdAt RFC 3339, as eavs gives it
 * @param budgetUsd the key's budget per window, null for none
 * @param budgetWindow {@code total}, {@code daily}, {@code weekly} or {@code monthly}; null when eavs names none
 * @param spendUsd spent in the current window
 */
public record VirtualKey(
        String keyId,
        String keyHash,
        String name,
        @Nullable String owner,
        boolean disabled,
        String createdAt,
        @Nullable Double budgetUsd,
        @Nullable String budgetWindow,
        @Nullable Long rpmLimit,
        long requests,
        double spendUsd) {}
