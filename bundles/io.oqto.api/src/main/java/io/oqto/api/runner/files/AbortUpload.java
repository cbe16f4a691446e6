package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/**
 * Drops an upload and its temporary file; the target is untouched.
 *
 * @since 2.1
 */
@RunnerMessage("abort_upload")
public record AbortUpload(String upload) implements RunnerRequest<UploadAborted> {}
