package io.oqto.api.auth;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sign-ins of browsers: a session cookie per sign-in that expires and can be ended, and one-time login codes
 * (single-user mode's login link). Only hashes of cookie values are stored.
 *
 * @since 1.4
 */
@ProviderType
public interface BrowserSessions {

    /** The name of the session cookie. */
    String COOKIE = "oqto_session";

    /** A new session for {@code user}; its {@link BrowserSession#cookie()} goes to the browser once. */
    BrowserSession start(String user, Role role);

    /** The live session a cookie value names; empty when unknown, malformed, ended or expired. */
    Optional<BrowserSession> find(String cookie);

    /** Ends the session a cookie value names; false when there was none. */
    boolean end(String cookie);

    /** Ends every session of {@code user} but the one {@code keep} names (null: all); how many ended. */
    int endAll(String user, @Nullable String keep);

    /** A code that signs a browser in as {@code user} once, until it expires. */
    String loginCode(String user, Role role);

    /** Starts a session for the code's user and forgets the code; empty when unknown, used or expired. */
    Optional<BrowserSession> redeem(String code);
}
