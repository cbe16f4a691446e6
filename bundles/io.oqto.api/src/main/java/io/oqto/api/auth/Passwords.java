package io.oqto.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Platform users' passwords, kept only as slow salted hashes. Implementations check the policy on {@link #set} and
 * compare in constant time; they never log a password or a hash.
 *
 * @since 1.4
 */
@ProviderType
public interface Passwords {

    /** Sets or replaces {@code user}'s password; {@link PasswordException} with the rule it breaks. */
    void set(String user, char[] password);

    /** Whether {@code password} is {@code user}'s; false for a user without one. */
    boolean verify(String user, char[] password);

    /** Whether {@code user} has a password. */
    boolean isSet(String user);

    /** Forgets {@code user}'s password (the user is deleted); false when there was none. */
    boolean remove(String user);
}
