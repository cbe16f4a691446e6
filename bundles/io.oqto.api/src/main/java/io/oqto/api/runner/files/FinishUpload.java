package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/**
 * Renames a finished upload over its target, atomically: readers see the old file or the whole new one.
 *
 * @since 2.1
 */
@RunnerMessage("finish_upload")
public record FinishUpload(String upload) implements RunnerRequest<FileWritten> {}
