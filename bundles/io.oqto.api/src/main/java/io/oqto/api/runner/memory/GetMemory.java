package io.oqto.api.runner.memory;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/** One memory ({@code memory}: its id); {@code memory_not_found} when that workspace's store has none with that id. */
@RunnerMessage("get_memory")
public record GetMemory(String memory, @Nullable String workspace) implements RunnerRequest<MemoryReply> {}
