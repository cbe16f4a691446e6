package io.oqto.api.runner;

/** The runner answered with a protocol error; {@link #code()} is one of the protocol's error codes. */
public class RunnerErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public RunnerErrorException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
