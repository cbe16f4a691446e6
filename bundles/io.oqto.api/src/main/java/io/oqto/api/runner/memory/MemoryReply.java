package io.oqto.api.runner.memory;

import io.oqto.api.runner.RunnerMessage;

/** One memory, as create, get and update answer. */
@RunnerMessage("memory")
public record MemoryReply(StoredMemory memory) {}
