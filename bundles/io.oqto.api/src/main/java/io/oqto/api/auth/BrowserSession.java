package io.oqto.api.auth;

import java.time.Instant;

/**
 * One browser's sign-in.
 *
 * @param id public id (logs, lists), never the cookie
 * @param user the platform user signed in
 * @param role what the session allows
 * @param cookie the cookie value (secret); only known right after {@link BrowserSessions#start}, or to the caller
 *     that presented it
 * @param csrfToken what state-changing requests authenticated by this cookie must send in {@code X-CSRF-Token}
 * @param expires when the session ends by itself
 * @since 1.4
 */
public record BrowserSession(String id, String user, Role role, String cookie, String csrfToken, Instant expires) {

    /** The caller this session authenticates. */
    public Caller caller() {
        return new Caller(user, role, "session:" + id);
    }

    @Override
    public String toString() {
        return "BrowserSession[id=" + id + ", user=" + user + ", role=" + role + ", expires=" + expires + "]";
    }
}
