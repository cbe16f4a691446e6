package io.oqto.runner.spi.sandbox;

/** A sandbox is required but cannot be provided; the caller must not run the command unsandboxed. */
public class SandboxUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SandboxUnavailableException(String message) {
        super(message);
    }
}
