package io.oqto.api.auth;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Issues and checks bearer API tokens. Tokens are stored hashed; a secret is shown once. */
@ProviderType
public interface TokenService {

    /** The caller a bearer token belongs to, or empty when the token is unknown or malformed. */
    Optional<Caller> authenticate(String bearerToken);

    /** Creates a new token for {@code user}. */
    IssuedToken issue(String user, Role role);

    /**
     * Revokes every token of {@code user}, and ends their browser sessions.
     *
     * @return how many there were
     * @since 1.2
     */
    int revokeAll(String user);

    /**
     * Forgets every credential of a deleted {@code user}: what {@link #revokeAll} revokes, and their password, so
     * that a later user of the same name does not inherit it.
     *
     * @return how many tokens and sessions there were
     * @since 1.4
     */
    default int forgetUser(String user) {
        return revokeAll(user);
    }
}
