package io.oqto.api.runner.memory;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A new memory: content (1-16,000 characters), category (default {@code default}), tags, importance 1-10 (5). */
@RunnerMessage("create_memory")
public record CreateMemory(
        @Nullable String workspace,
        String content,
        @Nullable String category,
        @Nullable List<String> tags,
        @Nullable Integer importance)
        implements RunnerRequest<MemoryReply> {}
