package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import org.jspecify.annotations.Nullable;

/** Reply to {@link CreateDirectory}, {@link DeletePath} and {@link RenamePath} (which has no {@code path}). */
@RunnerMessage({"path_deleted", "directory_created", "path_renamed"})
public record PathDone(@Nullable String path) {}
