package io.oqto.runner.spi.memory;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a search found, best first, and how it ranked: the mode asked for, or a lesser one with the reason (the
 * central embeddings service is down, none is configured, …): a search degrades, it does not fail.
 *
 * @param mode the mode actually used
 * @param degraded why it is not the mode asked for; null when it is
 */
public record MemorySearch(
        List<MemoryHit> hits, SearchMode mode, @Nullable String degraded) {}
