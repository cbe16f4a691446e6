package io.oqto.runner.spi.memory;

import java.util.List;
import java.util.Map;

/**
 * One memory, as mmry's {@code Memory} and the ledger's active view describe it.
 *
 * @param id {@code mem_<uuid>} in the ledger, a UUID in mmry
 * @param memoryType {@code semantic}, {@code episodic} or {@code procedural}
 * @param importance 1-10
 * @param metadata free-form JSON the writer attached (the agent's context, …)
 */
public record Memory(
        String id,
        String content,
        String category,
        List<String> tags,
        int importance,
        String memoryType,
        Map<String, Object> metadata,
        long createdAtMs,
        long updatedAtMs) {}
