package io.oqto.files;

import org.jspecify.annotations.Nullable;

/** An error reply: HTTP status, machine code and message, as {@code {"error": …, "code": …}}. */
final class FileError extends Exception {

    private static final long serialVersionUID = 1L;

    final int status;
    final String code;

    FileError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static FileError traversal(@Nullable String path) {
        return new FileError(403, "PATH_TRAVERSAL", "path " + path + " leads outside the root");
    }

    static FileError invalidPath(String message) {
        return new FileError(400, "INVALID_PATH", message);
    }

    static FileError notFound(@Nullable String path) {
        return new FileError(404, "NOT_FOUND", "no such file or directory: " + path);
    }
}
