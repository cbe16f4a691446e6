package io.oqto.runner.spi.eavs;

/** eavs could not be used for a session; the message names eavs's URL or what is missing. */
public final class EavsAccessException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** eavs did not answer, or not as eavs does. */
        UNREACHABLE,
        /** The runner holds no key: the user's provisioning has not given it one (or it was revoked). */
        NO_KEY,
        /** The session asked for a provider or model eavs does not offer. */
        UNKNOWN_CHOICE,
        /** models.json could not be written. */
        IO
    }

    private final Reason reason;

    public EavsAccessException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String getMessage() {
        return String.valueOf(super.getMessage());
    }
}
