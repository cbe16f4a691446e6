package io.oqto.runner.spi.process;

import io.oqto.api.runner.ErrorCode;

/** Nothing was started; {@link #code()} says why, as the runner protocol would. */
public final class LaunchException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public LaunchException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
