package io.oqto.api.runner.memory;

import java.util.List;
import java.util.Map;

/**
 * A memory, in mmry's shape (services-spec §3.1, §3.3).
 *
 * @param id {@code mem_<uuid>} in the ledger (an update gives the memory a new id there), a UUID in mmry
 * @param memoryType {@code semantic}, {@code episodic} or {@code procedural}
 * @param importance 1-10
 */
public record StoredMemory(
        String id,
        String memoryType,
        String content,
        String category,
        List<String> tags,
        int importance,
        Map<String, Object> metadata,
        String createdAt,
        String updatedAt) {}
