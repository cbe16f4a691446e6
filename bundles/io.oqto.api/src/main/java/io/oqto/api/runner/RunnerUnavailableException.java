package io.oqto.api.runner;

import org.jspecify.annotations.Nullable;

/** The user's runner could not be reached or did not answer in time. */
public class RunnerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunnerUnavailableException(@Nullable String message) {
        super(message);
    }

    public RunnerUnavailableException(@Nullable String message, Throwable cause) {
        super(message, cause);
    }

    /** Never null: every such failure says why. */
    @Override
    public String getMessage() {
        return String.valueOf(super.getMessage());
    }
}
