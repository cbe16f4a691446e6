package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/** Removes a file, or a directory (a non-empty one only with {@code recursive}; links, never their targets). */
@RunnerMessage("delete_path")
public record DeletePath(String path, @Nullable Boolean recursive) implements RunnerRequest<PathDone> {}
