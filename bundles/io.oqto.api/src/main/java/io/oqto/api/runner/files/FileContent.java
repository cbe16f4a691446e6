package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import java.util.Base64;

/** Reply to {@link ReadFile}: {@code bytes} bytes from {@code offset} of a file of {@code size}. */
@RunnerMessage("file_content")
public record FileContent(String path, long offset, long size, int bytes, boolean eof, String dataBase64) {

    /** The bytes read. */
    public byte[] data() {
        return Base64.getDecoder().decode(dataBase64);
    }
}
