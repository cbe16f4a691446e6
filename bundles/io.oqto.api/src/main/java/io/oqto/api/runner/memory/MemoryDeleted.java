package io.oqto.api.runner.memory;

import io.oqto.api.runner.RunnerMessage;

/** Reply to {@link DeleteMemory}. */
@RunnerMessage("memory_deleted")
public record MemoryDeleted(String memory) {}
