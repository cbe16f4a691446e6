package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/** Moves {@code from} to {@code to}; an existing target only with {@code overwrite}. */
@RunnerMessage("rename_path")
public record RenamePath(String from, String to, @Nullable Boolean overwrite) implements RunnerRequest<PathDone> {}
