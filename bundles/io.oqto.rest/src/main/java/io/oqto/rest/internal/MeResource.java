package io.oqto.rest.internal;

import io.oqto.api.auth.BrowserSession;
import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.Caller;
import io.oqto.api.auth.PasswordException;
import io.oqto.api.auth.Passwords;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;
import java.util.Set;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.jspecify.annotations.Nullable;

/**
 * The caller: {@code GET /api/v1/me} (name, role, how they are signed in; a browser also gets its CSRF token), and
 * {@code PUT /api/v1/me/password {old_password, new_password}}, which needs the old password (checked and throttled
 * like a sign-in) and ends the user's other browser sessions.
 */
@Path("/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public final class MeResource {

    static final Set<String> PASSWORD_FIELDS = Set.of("old_password", "new_password");

    private final AuthResource auth;
    private final Passwords passwords;
    private final BrowserSessions sessions;

    MeResource(AuthResource auth, Passwords passwords, BrowserSessions sessions) {
        this.auth = auth;
        this.passwords = passwords;
        this.sessions = sessions;
    }

    @GET
    public AuthResource.Me me(@Context SecurityContext security) {
        BrowserSession session = AuthFilter.session(security);
        if (session != null) {
            return AuthResource.Me.of(session);
        }
        Caller caller = RunnerResource.caller(security);
        return new AuthResource.Me(caller.user(), caller.role().wireName(), "token", null, null);
    }

    @PUT
    @Path("password")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(responseCode = "204", description = "The password is changed; other browser sessions are ended")
    public Response changePassword(
            @RequestBody(content = @Content(schema = @Schema(implementation = PasswordChange.class)))
                    Map<String, Object> body,
            @Context HttpServletRequest http,
            @Context SecurityContext security) {
        if (body == null
                || !PASSWORD_FIELDS.equals(body.keySet())
                || !(body.get("old_password") instanceof String old)
                || !(body.get("new_password") instanceof String fresh)) {
            throw new ApiProblem(
                    400,
                    "bad_request",
                    "Bad request",
                    "changing the password takes {\"old_password\", \"new_password\"}, both strings");
        }
        String user = RunnerResource.caller(security).user();
        auth.checkPassword(
                user, old.toCharArray(), http.getRemoteAddr(), "wrong_password", "the old password is wrong");
        set(passwords, user, fresh);
        BrowserSession session = AuthFilter.session(security);
        sessions.endAll(user, session == null ? null : session.cookie());
        return Response.noContent().build();
    }

    /** Sets a password, a policy refusal being a 400 {@code weak_password} naming the rule. */
    static void set(Passwords passwords, String user, @Nullable String password) {
        try {
            passwords.set(user, password == null ? new char[0] : password.toCharArray());
        } catch (PasswordException e) {
            throw new ApiProblem(400, "weak_password", "Bad request", e.getMessage());
        }
    }

    /** A password change's body, as the API description shows it (read field by field above). */
    public record PasswordChange(String oldPassword, String newPassword) {}
}
