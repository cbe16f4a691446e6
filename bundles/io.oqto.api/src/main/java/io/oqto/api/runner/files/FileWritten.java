package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;

/** Reply to {@link WriteFile}. */
@RunnerMessage("file_written")
public record FileWritten(String path, long bytesWritten) {}
