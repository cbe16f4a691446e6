package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;

/**
 * Reply to {@link BeginUpload}: the upload's id, for its chunks.
 *
 * @since 2.1
 */
@RunnerMessage("upload_started")
public record UploadStarted(String path, String upload) {}
