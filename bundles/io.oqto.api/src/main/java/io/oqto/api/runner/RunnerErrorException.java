package io.oqto.api.runner;

/** The runner answered with a protocol error; {@link #code()} says which. */
public class RunnerErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public RunnerErrorException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** Never null: every such failure says why. */
    @Override
    public String getMessage() {
        return String.valueOf(super.getMessage());
    }

    public ErrorCode code() {
        return code;
    }
}
