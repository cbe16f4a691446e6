package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/** Makes a directory (and, by default, its parents). */
@RunnerMessage("create_directory")
public record CreateDirectory(String path, @Nullable Boolean createParents) implements RunnerRequest<PathDone> {}
