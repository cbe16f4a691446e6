package io.oqto.api.runner;

/** The user's runner could not be reached or did not answer in time. */
public class RunnerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunnerUnavailableException(String message) {
        super(message);
    }

    public RunnerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
