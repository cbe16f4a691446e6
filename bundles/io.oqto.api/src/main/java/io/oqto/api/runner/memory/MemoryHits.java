package io.oqto.api.runner.memory;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reply to {@link SearchMemories}: the hits, the mode actually used and the one asked for, and why they differ (the
 * central embeddings service is down or not configured): a search degrades to words, it does not fail.
 */
@RunnerMessage("memory_hits")
public record MemoryHits(
        List<MemoryHit> hits,
        String mode,
        String requestedMode,
        @Nullable String degraded) {}
