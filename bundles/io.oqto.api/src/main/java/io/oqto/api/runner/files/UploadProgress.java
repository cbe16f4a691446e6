package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;

/**
 * Reply to {@link UploadChunk}: the bytes received so far.
 *
 * @since 2.1
 */
@RunnerMessage("upload_progress")
public record UploadProgress(String upload, long bytes) {}
