package io.oqto.api.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ProviderType;

/** Issues and checks bearer API tokens. Tokens are stored hashed; a secret is shown once. */
@ProviderType
public interface TokenService {

    /** The caller a bearer token belongs to, or empty when the token is unknown or malformed. */
    Optional<Caller> authenticate(String bearerToken);

    /** Creates a new token for {@code user}. */
    IssuedToken issue(String user, Role role);

    /**
     * Creates a named token for {@code user} that stops working at {@code expiresAt} (null: never).
     *
     * @throws IllegalArgumentException for a name that is not 1 to 64 letters, digits, spaces, dots, dashes or
     *     underscores, or an expiry that has passed
     * @since 1.5
     */
    default IssuedToken issue(String user, Role role, String name, @Nullable Instant expiresAt) {
        throw new UnsupportedOperationException("named tokens");
    }

    /**
     * Whether {@code bearerToken} is a real token that has expired, so that it can be refused with its own error
     * ({@link #authenticate} is empty for it, as for an unknown one).
     *
     * @since 1.5
     */
    default boolean isExpired(String bearerToken) {
        return false;
    }

    /**
     * The tokens of {@code user} (every user's when null), oldest first; secrets are never kept.
     *
     * @since 1.5
     */
    default List<TokenInfo> list(@Nullable String user) {
        return List.of();
    }

    /**
     * Revokes one token.
     *
     * @return what it was; empty when there is no token {@code id}
     * @since 1.5
     */
    default Optional<TokenInfo> revoke(String id) {
        return Optional.empty();
    }

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
