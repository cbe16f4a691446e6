package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Moves {@code from} to {@code to}; an existing target only with {@code overwrite}. */
@RunnerMessage("rename_path")
public record RenamePath(String from, String to, Boolean overwrite) implements RunnerRequest<PathDone> {
}
