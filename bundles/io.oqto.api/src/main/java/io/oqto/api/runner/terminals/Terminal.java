package io.oqto.api.runner.terminals;

/**
 * A terminal.
 *
 * @param id its id ({@code t-} and 10 of a-z and 0-9)
 * @param program what serves it: {@code ttyd}, or {@code oqto-tty} where ttyd is not installed
 * @param cwd where its shell started, relative to the workspace
 * @param pid the serving program's process
 * @param createdAt when it was made (ISO-8601)
 * @param connected whether its one connection was handed over already
 */
public record Terminal(String id, String program, String cwd, long pid, String createdAt, boolean connected) {}
