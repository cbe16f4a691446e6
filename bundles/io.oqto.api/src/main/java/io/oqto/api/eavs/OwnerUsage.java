package io.oqto.api.eavs;

/** One owner's requests, tokens and cost over a period; eavs's {@code OwnerUsage} ({@code ""}: no owner). */
public record OwnerUsage(
        String owner,
        long requests,
        long inputTokens,
        long outputTokens,
        long cachedTokens,
        long cacheWriteTokens,
        double costUsd) {}
