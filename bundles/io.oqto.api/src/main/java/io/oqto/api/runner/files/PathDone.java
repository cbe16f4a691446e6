package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;

/** Reply to {@link CreateDirectory}, {@link DeletePath} and {@link RenamePath}. */
@RunnerMessage({"path_deleted", "directory_created", "path_renamed"})
public record PathDone(String path) {
}
