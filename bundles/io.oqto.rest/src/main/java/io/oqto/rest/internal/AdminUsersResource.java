package io.oqto.rest.internal;

import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.Passwords;
import io.oqto.api.auth.Role;
import io.oqto.api.users.NewUser;
import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.ProvisionedUser;
import io.oqto.api.users.ProvisioningException;
import io.oqto.api.users.UserProvisioning;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.jspecify.annotations.Nullable;

/**
 * Platform users, for admins: {@code POST /api/v1/admin/users} provisions ({@code 201} with the first token,
 * shown once; {@code 200} when the user existed and was converged), {@code GET} lists, {@code …/{name}/disable},
 * {@code …/{name}/enable}, {@code DELETE …/{name}[?keep_home=true]}, {@code PUT …/{name}/password}. The provisioning service may be absent
 * for a moment (its bundle being updated): that is a 503, not a broken endpoint.
 */
@Path("/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminUsersResource {

    static final Set<String> FIELDS = Set.of("name", "email", "role");
    private final Supplier<UserProvisioning> provisioning;
    private final @Nullable Passwords passwords;
    private final @Nullable BrowserSessions sessions;

    AdminUsersResource(Supplier<UserProvisioning> provisioning) {
        this(provisioning, null, null);
    }

    AdminUsersResource(
            Supplier<UserProvisioning> provisioning,
            @Nullable Passwords passwords,
            @Nullable BrowserSessions sessions) {
        this.provisioning = provisioning;
        this.passwords = passwords;
        this.sessions = sessions;
    }

    /** {@code PUT …/{name}/password {password}}: sets (or resets) a user's password and ends their browser sessions. */
    @PUT
    @Path("{name}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(responseCode = "204", description = "The password is set; the user's browser sessions are ended")
    public Response setPassword(
            @PathParam("name") String name,
            @RequestBody(content = @Content(schema = @Schema(implementation = PasswordBody.class)))
                    Map<String, Object> body,
            @Context SecurityContext security) {
        UserProvisioning users = authorize(security);
        if (body == null || !body.keySet().equals(Set.of("password")) || !(body.get("password") instanceof String p)) {
            throw new ApiProblem(
                    400, "bad_request", "Bad request", "setting a password takes {\"password\"}, a string");
        }
        if (call(() -> users.find(name)).isEmpty()) {
            throw new ApiProblem(404, "user_not_found", "User not found", "no such user: " + name);
        }
        Passwords store = passwords;
        BrowserSessions browsers = sessions;
        if (store == null || browsers == null) {
            throw new ApiProblem(503, "auth_unavailable", "Unavailable", "password storage is not running");
        }
        MeResource.set(store, name, p);
        browsers.endAll(name, null);
        return Response.noContent().build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "The user was provisioned",
            content = @Content(schema = @Schema(implementation = Created.class)))
    @ApiResponse(
            responseCode = "200",
            description = "The user existed already; the steps were checked",
            content = @Content(schema = @Schema(implementation = Created.class)))
    public Response create(
            @RequestBody(content = @Content(schema = @Schema(implementation = NewUserBody.class)))
                    Map<String, Object> body,
            @Context SecurityContext security) {
        UserProvisioning users = authorize(security);
        if (body == null
                || !FIELDS.containsAll(body.keySet())
                || !(body.get("name") instanceof String name)
                || !(body.get("email") instanceof String email)) {
            throw new ApiProblem(
                    400,
                    "bad_request",
                    "Bad request",
                    "provisioning takes {\"name\", \"email\", \"role\"?}: name and email are strings");
        }
        Role role = Role.parse(String.valueOf(body.getOrDefault("role", "user")))
                .orElseThrow(() -> new ApiProblem(400, "bad_request", "Bad request", "role must be user or admin"));
        ProvisionedUser p = call(() -> users.create(new NewUser(name, email, role)));
        Created reply = new Created(
                UserView.of(p.user()),
                p.created(),
                p.token() == null ? null : p.token().secret(),
                p.steps(),
                p.notInstalled());
        return Response.status(p.created() ? 201 : 200).entity(reply).build();
    }

    @GET
    public Map<String, List<UserView>> list(@Context SecurityContext security) {
        UserProvisioning users = authorize(security);
        return Map.of("users", call(users::list).stream().map(UserView::of).toList());
    }

    @GET
    @Path("{name}")
    public UserView get(@PathParam("name") String name, @Context SecurityContext security) {
        UserProvisioning users = authorize(security);
        return UserView.of(call(() -> users.find(name))
                .orElseThrow(() -> new ApiProblem(404, "user_not_found", "User not found", "no such user: " + name)));
    }

    @POST
    @Path("{name}/disable")
    public UserView disable(@PathParam("name") String name, @Context SecurityContext security) {
        UserProvisioning users = authorize(security);
        return UserView.of(call(() -> users.disable(name)));
    }

    @POST
    @Path("{name}/enable")
    public UserView enable(@PathParam("name") String name, @Context SecurityContext security) {
        UserProvisioning users = authorize(security);
        return UserView.of(call(() -> users.enable(name)));
    }

    @DELETE
    @Path("{name}")
    public Map<String, Object> delete(
            @PathParam("name") String name,
            @QueryParam("keep_home") String keepHomeParam,
            @Context SecurityContext security) {
        UserProvisioning users = authorize(security);
        boolean keepHome = QueryParams.flag("keep_home", keepHomeParam, false);
        boolean existed = call(() -> users.delete(name, keepHome));
        return Map.of("name", name, "existed", existed, "home_kept", keepHome);
    }

    private UserProvisioning authorize(SecurityContext security) {
        RunnerResource.requireAdmin(security, "managing users needs an admin token");
        UserProvisioning users = provisioning.get();
        if (users == null) {
            throw new ApiProblem(
                    503, "provisioning_unavailable", "Provisioning unavailable", "user provisioning is not running");
        }
        return users;
    }

    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (ProvisioningException e) {
            throw switch (e.kind()) {
                case INVALID -> new ApiProblem(400, "invalid_user", "Invalid user", e.getMessage());
                case CONFLICT -> new ApiProblem(409, "user_conflict", "Conflict", e.getMessage());
                case NOT_FOUND -> new ApiProblem(404, "user_not_found", "User not found", e.getMessage());
                case UNAVAILABLE ->
                    new ApiProblem(503, "provisioning_unavailable", "Provisioning unavailable", e.getMessage());
                case FAILED ->
                    new ApiProblem(
                            502,
                            "provisioning_failed",
                            "Provisioning failed",
                            "step " + e.step() + ": " + e.getMessage() + " (what this run created was undone)");
            };
        }
    }

    /** A platform user on the wire. */
    public record UserView(
            String name, String email, String role, String linuxUser, int uid, String state, String created) {
        static UserView of(PlatformUser u) {
            return new UserView(
                    u.name(),
                    u.email(),
                    u.role().wireName(),
                    u.linuxUser(),
                    u.uid(),
                    u.state().wireName(),
                    u.created().toString());
        }
    }

    /** The reply to provisioning; {@code token} is the only copy of the secret. */
    public record Created(
            UserView user, boolean created, @Nullable String token, List<String> steps, List<String> notInstalled) {}

    /** {@code POST /v1/admin/users}'s body, as the API description shows it (read field by field above). */
    public record NewUserBody(
            String name, String email, @Nullable String role) {}

    /** {@code PUT /v1/admin/users/{name}/password}'s body, likewise. */
    public record PasswordBody(String password) {}
}
