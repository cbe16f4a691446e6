package io.oqto.api.runner.memory;

/** A memory a search found and its score (higher is better, comparable within one search). */
public record MemoryHit(StoredMemory memory, double score) {}
