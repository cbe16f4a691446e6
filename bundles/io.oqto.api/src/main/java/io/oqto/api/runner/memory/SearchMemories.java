package io.oqto.api.runner.memory;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/** Memories for a query, best first: {@code mode} lexical, semantic or hybrid (default), {@code limit} 1-100 (10). */
@RunnerMessage("search_memories")
public record SearchMemories(
        String query,
        @Nullable Integer limit,
        @Nullable String mode,
        @Nullable String workspace) implements RunnerRequest<MemoryHits> {}
