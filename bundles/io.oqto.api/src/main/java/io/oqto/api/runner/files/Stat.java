package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** What is at {@code path}; a missing path is {@code exists = false}, not an error. */
@RunnerMessage("stat")
public record Stat(String path) implements RunnerRequest<FileStat> {}
