package io.oqto.api.runner.memory;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;

/**
 * Reply to {@link ListMemories}: {@code total} counts every match; {@code store}: {@code embedded} or {@code mmry};
 * {@code problems}: what the store could not read and skipped (a damaged ledger line, with its number).
 */
@RunnerMessage("memory_list")
public record MemoryList(
        List<StoredMemory> memories, int total, int offset, int limit, String store, List<String> problems) {}
