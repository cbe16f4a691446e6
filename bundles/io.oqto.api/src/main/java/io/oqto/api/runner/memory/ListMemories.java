package io.oqto.api.runner.memory;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/** The memories of a workspace directory (default: the workspace root), newest first, filtered and paged (1-100). */
@RunnerMessage("list_memories")
public record ListMemories(
        @Nullable String workspace,
        @Nullable String category,
        @Nullable String tag,
        @Nullable Integer limit,
        @Nullable Integer offset)
        implements RunnerRequest<MemoryList> {}
