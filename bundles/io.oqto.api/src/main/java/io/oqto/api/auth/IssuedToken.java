package io.oqto.api.auth;

/**
 * A freshly issued token. {@code secret} is the only copy of the full token; it is not stored.
 *
 * @param id public token id
 * @param user platform user
 * @param role role
 * @param secret the full bearer token to hand to the client once
 */
public record IssuedToken(String id, String user, Role role, String secret) {

    @Override
    public String toString() {
        return "IssuedToken[id=" + id + ", user=" + user + ", role=" + role + ", secret=***]";
    }
}
