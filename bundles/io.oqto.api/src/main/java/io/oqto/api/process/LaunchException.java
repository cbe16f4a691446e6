package io.oqto.api.process;

/** Nothing was started; {@link #code()} is a runner protocol error code. */
public final class LaunchException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public LaunchException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
