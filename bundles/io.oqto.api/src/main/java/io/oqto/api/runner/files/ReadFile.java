package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Up to {@code length} bytes (at most 512 KiB) of a file from {@code offset}. */
@RunnerMessage("read_file")
public record ReadFile(String path, long offset, int length) implements RunnerRequest<FileContent> {

    /** The most one read returns. */
    public static final int MAX_LENGTH = 512 * 1024;
}
