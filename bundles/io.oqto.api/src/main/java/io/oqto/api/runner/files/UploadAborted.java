package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;

/**
 * Reply to {@link AbortUpload}.
 *
 * @since 2.1
 */
@RunnerMessage("upload_aborted")
public record UploadAborted(String upload) {}
