package io.oqto.api.eavs;

/** One request through eavs, as eavs records it ({@code UsageRecord}); cost in US dollars. */
public record UsageRecord(
        String timestamp,
        String provider,
        String model,
        long inputTokens,
        long outputTokens,
        long cachedTokens,
        long cacheWriteTokens,
        double costUsd) {}
