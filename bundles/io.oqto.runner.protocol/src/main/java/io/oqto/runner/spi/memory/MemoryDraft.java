package io.oqto.runner.spi.memory;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a new memory holds, or what an update changes (null: unchanged; on create: the default). Checked by the
 * caller against {@link MemoryRules} before a store sees it.
 */
public record MemoryDraft(
        @Nullable String content,
        @Nullable String category,
        @Nullable List<String> tags,
        @Nullable Integer importance) {}
