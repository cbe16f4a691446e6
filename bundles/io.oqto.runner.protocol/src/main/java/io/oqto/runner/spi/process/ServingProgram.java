package io.oqto.runner.spi.process;

import java.nio.file.Path;

/**
 * A named program that serves a Unix socket, started and answering there.
 *
 * @param process the program
 * @param socket where it listens
 * @param binary what was started, e.g. {@code ttyd} or {@code oqto-tty} for the program {@code ttyd}
 * @param readyMs how long it took to answer
 * @since 1.1
 */
public record ServingProgram(LaunchedProcess process, Path socket, String binary, long readyMs) {}
