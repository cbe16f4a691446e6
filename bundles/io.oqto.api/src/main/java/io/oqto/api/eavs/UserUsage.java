package io.oqto.api.eavs;

import java.util.List;

/**
 * A user's usage of the LLM proxy.
 *
 * @param days the period of {@code total}, in days back from now
 * @param total requests, tokens and cost in that period
 * @param keys the user's keys with their budgets and spend in their current window
 * @param recent the latest requests of the user's keys (eavs keeps the last 100 per key), newest first
 */
public record UserUsage(String owner, int days, OwnerUsage total, List<VirtualKey> keys, List<UsageRecord> recent) {}
