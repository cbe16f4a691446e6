package io.oqto.api.runner.memory;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Changes what it names (at least one field) and keeps the rest. */
@RunnerMessage("update_memory")
public record UpdateMemory(
        String memory,
        @Nullable String workspace,
        @Nullable String content,
        @Nullable String category,
        @Nullable List<String> tags,
        @Nullable Integer importance)
        implements RunnerRequest<MemoryReply> {}
