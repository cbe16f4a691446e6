package io.oqto.api.auth;

/**
 * A password that breaks the policy; the message names the rule, never the password.
 *
 * @since 1.4
 */
public final class PasswordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PasswordException(String message) {
        super(message);
    }
}
