package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/**
 * Starts writing a file of any size in chunks (protocol 1.7): the runner makes a private temporary file beside the
 * target; {@link UploadChunk}s append to it in order; {@link FinishUpload} renames it over the target atomically.
 *
 * @param size the whole size when known, so an upload over {@code [workspace] max_upload_mb} is refused at once
 * @since 2.1
 */
@RunnerMessage("begin_upload")
public record BeginUpload(
        String path,
        @Nullable Boolean createParents,
        @Nullable Long size) implements RunnerRequest<UploadStarted> {}
