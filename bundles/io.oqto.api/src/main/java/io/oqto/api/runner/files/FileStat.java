package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import org.jspecify.annotations.Nullable;

/**
 * Reply to {@link Stat}; {@code kind}, {@code size} and {@code modifiedMs} are null when nothing exists there.
 *
 * @param kind {@code file}, {@code directory}, {@code symlink} or {@code other}
 */
@RunnerMessage("file_stat")
public record FileStat(
        String path,
        boolean exists,
        @Nullable String kind,
        @Nullable Long size,
        @Nullable Long modifiedMs) {

    public boolean isDirectory() {
        return "directory".equals(kind);
    }
}
