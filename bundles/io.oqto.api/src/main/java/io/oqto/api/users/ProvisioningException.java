package io.oqto.api.users;

import org.jspecify.annotations.Nullable;

/**
 * Provisioning did not happen. {@link #kind()} says whose fault it is; {@link #step()} names the step that
 * failed (such as {@code create-user} or {@code wait-for-runner}); what that run had created is undone.
 */
public final class ProvisioningException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why: bad input, a state that does not allow it, no such user, or a step that failed. */
    public enum Kind {
        INVALID,
        CONFLICT,
        NOT_FOUND,
        FAILED,
        UNAVAILABLE
    }

    private final Kind kind;
    private final String step;

    public ProvisioningException(Kind kind, String step, @Nullable String message) {
        super(message);
        this.kind = kind;
        this.step = step;
    }

    public ProvisioningException(Kind kind, String step, @Nullable String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.step = step;
    }

    /** Never null: every such failure says why. */
    @Override
    public String getMessage() {
        return String.valueOf(super.getMessage());
    }

    public Kind kind() {
        return kind;
    }

    public String step() {
        return step;
    }
}
