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
     * Revokes every token of {@code user}.
     *
     * @return how many there were
     * @since 1.2
     */
    int revokeAll(String user);
}
