package io.oqto.runner.spi.memory;

import java.util.List;

/**
 * A page of a store's memories, newest first; {@code total} counts every memory that matched the filters;
 * {@code problems}: what the store could not read and skipped ("line 7 of …/mmry.jsonl: …"), so a damaged ledger is
 * seen, not silently shortened.
 */
public record MemoryPage(List<Memory> memories, int total, int offset, int limit, List<String> problems) {}
