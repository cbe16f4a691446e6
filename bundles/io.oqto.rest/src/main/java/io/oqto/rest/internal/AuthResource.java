package io.oqto.rest.internal;

import io.oqto.api.auth.BrowserSession;
import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.Passwords;
import io.oqto.api.auth.Role;
import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.UserProvisioning;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.NewCookie;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.jspecify.annotations.Nullable;

/**
 * Signing browsers in and out: {@code POST /api/v1/auth/login {name, password}} sets the session cookie and answers
 * the session's CSRF token; {@code POST /api/v1/auth/logout} ends the session and clears the cookie;
 * {@code GET /api/v1/auth/link?code=…} (single-user mode's one-time link) signs the browser in and sends it to
 * {@code /}. Failed password checks are throttled per user and per client address ({@link LoginThrottle}).
 */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthResource {

    static final Set<String> LOGIN_FIELDS = Set.of("name", "password");

    private final BrowserSessions sessions;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final Supplier<@Nullable UserProvisioning> provisioning;
    /** Single-user mode's one user; null in multi-user mode, where users are the provisioned ones. */
    private final @Nullable String singleUser;

    AuthResource(
            BrowserSessions sessions,
            Passwords passwords,
            LoginThrottle throttle,
            Supplier<@Nullable UserProvisioning> provisioning,
            @Nullable String singleUser) {
        this.sessions = sessions;
        this.passwords = passwords;
        this.throttle = throttle;
        this.provisioning = provisioning;
        this.singleUser = singleUser;
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "200",
            description = "Signed in: the cookie oqto_session is set",
            content = @Content(schema = @Schema(implementation = Me.class)))
    public Response login(
            @RequestBody(content = @Content(schema = @Schema(implementation = Login.class))) Map<String, Object> body,
            @Context HttpServletRequest http,
            @Context SecurityContext security) {
        if (body == null
                || !LOGIN_FIELDS.equals(body.keySet())
                || !(body.get("name") instanceof String name)
                || !(body.get("password") instanceof String password)) {
            throw new ApiProblem(
                    400, "bad_request", "Bad request", "signing in takes {\"name\", \"password\"}, both strings");
        }
        String address = http.getRemoteAddr();
        http.setAttribute(AuditFilter.SIGN_IN_NAME, name);
        checkPassword(name, password.toCharArray(), address, "invalid_credentials", "wrong user name or password");
        Role role = activeRole(name)
                .orElseThrow(() -> new ApiProblem(
                        403, "user_disabled", "Forbidden", name + " is disabled: an admin can enable the account"));
        BrowserSession session = sessions.start(name, role);
        return Response.ok(Me.of(session))
                .header("Set-Cookie", cookie(session.cookie(), session.expires(), security.isSecure()))
                .build();
    }

    @POST
    @Path("logout")
    @ApiResponse(responseCode = "204", description = "Signed out: the cookie is cleared")
    public Response logout(
            @CookieParam(BrowserSessions.COOKIE) @Nullable String cookie, @Context SecurityContext security) {
        if (cookie != null) {
            sessions.end(cookie);
        }
        return Response.noContent()
                .header("Set-Cookie", cookie("", null, security.isSecure()))
                .build();
    }

    @GET
    @Path("link")
    @ApiResponse(responseCode = "303", description = "Signed in: the cookie is set; on to the web UI")
    public Response link(@QueryParam("code") @Nullable String code, @Context SecurityContext security) {
        BrowserSession session = (code == null ? Optional.<BrowserSession>empty() : sessions.redeem(code))
                .orElseThrow(() -> new ApiProblem(
                        401,
                        "invalid_login_link",
                        "Unauthorized",
                        "this login link was used already or has expired: the run command prints a new one"));
        // The site's root (the web UI), as a relative Location: the browser keeps the host it used (a base URI from
        // JAX-RS would be the API's, /api/, and may name the host differently, e.g. localhost for 127.0.0.1, where
        // the cookie would not go).
        return Response.status(Response.Status.SEE_OTHER)
                .header("Location", "/")
                .header("Set-Cookie", cookie(session.cookie(), session.expires(), security.isSecure()))
                .build();
    }

    /**
     * Checks a password against the throttle and the store; a refusal is an {@link ApiProblem} with {@code code}
     * (401) or {@code too_many_attempts} (429, with {@code Retry-After}).
     */
    void checkPassword(String name, char[] password, String address, String code, String detail) {
        Optional<Duration> wait = throttle.wait(name, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds());
            throw new ApiProblem(
                    429,
                    "too_many_attempts",
                    "Too many attempts",
                    "too many failed sign-ins for " + name + " or from " + address + ": try again in " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        }
        if (!knownUser(name) || !passwords.verify(name, password)) {
            throw failed(name, address, code, detail);
        }
        throttle.succeeded(name);
    }

    private ApiProblem failed(String name, String address, String code, String detail) {
        throttle.failed(name, address);
        return new ApiProblem(401, code, "Unauthorized", detail);
    }

    private boolean knownUser(String name) {
        if (singleUser != null) {
            return singleUser.equals(name);
        }
        UserProvisioning users = users();
        return users.find(name).isPresent();
    }

    /** The role of an active user; empty for a disabled one. */
    private Optional<Role> activeRole(String name) {
        if (singleUser != null) {
            return Optional.of(Role.ADMIN);
        }
        return users().find(name)
                .filter(u -> u.state() == PlatformUser.State.ACTIVE)
                .map(PlatformUser::role);
    }

    private UserProvisioning users() {
        UserProvisioning users = provisioning.get();
        if (users == null) {
            throw new ApiProblem(
                    503, "provisioning_unavailable", "Provisioning unavailable", "user provisioning is not running");
        }
        return users;
    }

    /**
     * The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent with cross-site subrequests and
     * form posts), Secure when the request came over TLS, for the whole site (the UI and the API). JAX-RS's
     * {@link NewCookie} writes it; SameSite, which it predates, is appended.
     */
    static String cookie(String value, @Nullable Instant expires, boolean secure) {
        int maxAge = expires == null
                ? 0
                : (int) Math.max(0, Duration.between(Instant.now(), expires).toSeconds());
        NewCookie c = new NewCookie(BrowserSessions.COOKIE, value, "/", null, null, maxAge, secure, true);
        return c + ";SameSite=Lax";
    }

    /** Who is signed in, as {@code GET /api/v1/me} and a sign-in answer it. */
    public record Me(
            String name,
            String role,
            String auth,
            @Nullable String csrfToken,
            @Nullable String expiresAt) {
        static Me of(BrowserSession s) {
            return new Me(
                    s.user(),
                    s.role().wireName(),
                    "cookie",
                    s.csrfToken(),
                    s.expires().toString());
        }
    }

    /** A sign-in's body, as the API description shows it (read field by field above). */
    public record Login(String name, String password) {}
}
