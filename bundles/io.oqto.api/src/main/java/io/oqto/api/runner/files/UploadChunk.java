package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import java.util.Arrays;
import java.util.Base64;

/**
 * The next bytes of an upload, at {@code offset} (the bytes received so far: chunks come in order); at most
 * {@link #MAX_BYTES} decoded.
 *
 * @since 2.1
 */
@RunnerMessage("upload_chunk")
public record UploadChunk(String upload, long offset, String dataBase64) implements RunnerRequest<UploadProgress> {

    /** Largest chunk: its base64 stays well inside the 1 MiB frame. */
    public static final int MAX_BYTES = 512 * 1024;

    public static UploadChunk of(String upload, long offset, byte[] data, int length) {
        return new UploadChunk(upload, offset, Base64.getEncoder().encodeToString(Arrays.copyOf(data, length)));
    }
}
