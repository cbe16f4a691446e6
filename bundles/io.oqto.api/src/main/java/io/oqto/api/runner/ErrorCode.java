package io.oqto.api.runner;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The closed list of error codes a runner may send in an {@code error} frame. Everything above the wire uses
 * this enum; only the wire codec sees the snake_case strings.
 */
public enum ErrorCode {
    /** The line is not valid JSON (or holds more than one value). */
    INVALID_JSON,
    /** Valid JSON, but not a request: not an object, or {@code id}/{@code type} missing or of the wrong kind. */
    INVALID_REQUEST,
    /** The {@code type} is not one this runner serves. */
    UNKNOWN_TYPE,
    /** The line is longer than the maximum frame size; it was discarded up to its newline. */
    FRAME_TOO_LARGE,
    /** A request other than {@code hello} arrived before a successful {@code hello}. */
    HELLO_REQUIRED,
    /** The client's protocol major version is not one this runner speaks. */
    UNSUPPORTED_VERSION,
    /** The peer's uid is not allowed to use this runner. */
    UNAUTHORIZED,
    /** Too many requests in flight; retry later. */
    BUSY,
    /** The request did not complete in time. */
    TIMEOUT,
    /** A path that is outside the workspace, contains {@code ..} or NUL, or is too long (since 1.1). */
    PATH_NOT_ALLOWED,
    /** The path does not exist (since 1.1). */
    PATH_NOT_FOUND,
    /** The target exists and overwriting was not asked for (since 1.1). */
    PATH_EXISTS,
    /** A directory was expected (since 1.1). */
    NOT_A_DIRECTORY,
    /** A regular file was expected (since 1.1). */
    NOT_A_FILE,
    /** A directory is not empty and recursive deletion was not asked for (since 1.1). */
    DIRECTORY_NOT_EMPTY,
    /** The operating system refused or failed the operation (since 1.1). */
    IO_ERROR,
    /** No process with that id (since 1.1). */
    PROCESS_NOT_FOUND,
    /** A process with that id is still running (since 1.1). */
    PROCESS_EXISTS,
    /** The program could not be started (since 1.1). */
    SPAWN_FAILED,
    /** A sandbox is required and cannot be had; nothing was started (since 1.1). */
    SANDBOX_ERROR,
    /** No agent session with that id (since 1.2). */
    SESSION_NOT_FOUND,
    /** The session's state does not allow the command, e.g. a prompt while it is streaming (since 1.2). */
    INVALID_STATE,
    /** The agent (pi) refused or failed a command; the message has its words (since 1.2). */
    AGENT_ERROR,
    /** No conversation with that id in the user's history (since 1.5). */
    CONVERSATION_NOT_FOUND,
    /** History is off, its store is not installed yet, or the store (hstry) does not answer (since 1.5). */
    HISTORY_UNAVAILABLE,
    /** No memory with that id in that workspace's store (since 1.6). */
    MEMORY_NOT_FOUND,
    /** Memory is off, its store is not running, or the mmry daemon does not answer (since 1.6). */
    MEMORY_UNAVAILABLE,
    /** No upload with that id: never begun, finished, aborted, or abandoned and swept (since 1.7). */
    UPLOAD_NOT_FOUND,
    /** An upload larger than {@code [workspace] max_upload_mb}; nothing was written (since 1.7). */
    TOO_LARGE,
    /** No terminal with that id: never made, deleted, or ended with its shell (since 1.9). */
    TERMINAL_NOT_FOUND,
    /** A bug or an unexpected failure inside the runner. */
    INTERNAL;

    /** The snake_case form used on the wire. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The code for a wire string, if it is one of ours. */
    public static Optional<ErrorCode> fromWire(@Nullable String wire) {
        return Arrays.stream(values()).filter(c -> c.wire().equals(wire)).findFirst();
    }
}
