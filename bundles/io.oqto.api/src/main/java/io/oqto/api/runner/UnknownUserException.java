package io.oqto.api.runner;

/** The platform user has no Linux account to route to. */
public class UnknownUserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownUserException(String message) {
        super(message);
    }

    /** Never null: every such failure says why. */
    @Override
    public String getMessage() {
        return String.valueOf(super.getMessage());
    }
}
