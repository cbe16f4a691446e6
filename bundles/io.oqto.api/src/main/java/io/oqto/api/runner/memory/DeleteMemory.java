package io.oqto.api.runner.memory;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/** Deletes a memory (in the ledger: a deprecate event). */
@RunnerMessage("delete_memory")
public record DeleteMemory(String memory, @Nullable String workspace) implements RunnerRequest<MemoryDeleted> {}
