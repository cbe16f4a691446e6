package io.oqto.api.auth;

/**
 * An authenticated caller.
 *
 * @param user the platform user the token belongs to
 * @param role the token's role
 * @param tokenId the public id of the token used (never the secret)
 */
public record Caller(String user, Role role, String tokenId) {

    /** Whether this caller may act on {@code platformUser}'s resources. */
    public boolean mayAccess(String platformUser) {
        return role == Role.ADMIN || user.equals(platformUser);
    }
}
