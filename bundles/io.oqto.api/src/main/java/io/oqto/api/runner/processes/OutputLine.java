package io.oqto.api.runner.processes;

/** One numbered line of a process's output; {@code stream} is {@code stdout} or {@code stderr}. */
public record OutputLine(long seq, String stream, String text) {}
