package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/** Replaces a file atomically (a temporary file renamed over it); a symlink there is replaced, not followed. */
@RunnerMessage("write_file")
public record WriteFile(
        String path, String dataBase64, @Nullable Boolean createParents) implements RunnerRequest<FileWritten> {

    public static WriteFile of(String path, byte[] data, boolean createParents) {
        return new WriteFile(path, Base64.getEncoder().encodeToString(data), createParents);
    }
}
