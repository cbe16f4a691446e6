package io.oqto.runner.spi.memory;

/** A memory a search found, with its score (higher is better; comparable within one search only). */
public record MemoryHit(Memory memory, double score) {}
