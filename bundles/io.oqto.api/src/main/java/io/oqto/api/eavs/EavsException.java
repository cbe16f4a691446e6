package io.oqto.api.eavs;

import org.jspecify.annotations.Nullable;

/** eavs could not do what was asked: not configured, not reachable, or it refused (with its status and code). */
public final class EavsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind {
        /** {@code [eavs] base_url} is not set. */
        NOT_CONFIGURED,
        /** No answer from eavs (connection refused, timeout) or not an answer eavs gives. */
        UNREACHABLE,
        /** eavs answered with an error status. */
        REFUSED,
        /** The owner's key was not found. */
        NOT_FOUND
    }

    private final Kind kind;
    private final int status;
    private final @Nullable String code;

    public EavsException(Kind kind, String message, int status, @Nullable String code, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.code = code;
    }

    /** Never null: every such failure says why. */
    @Override
    public String getMessage() {
        return String.valueOf(super.getMessage());
    }

    public Kind kind() {
        return kind;
    }

    /** eavs's HTTP status, 0 when there was none. */
    public int status() {
        return status;
    }

    /** eavs's error code ({@code unauthorized}, {@code keys_disabled}, …), null when there was none. */
    public @Nullable String code() {
        return code;
    }
}
