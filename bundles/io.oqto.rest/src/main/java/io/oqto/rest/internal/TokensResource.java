package io.oqto.rest.internal;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenInfo;
import io.oqto.api.auth.TokenService;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.jspecify.annotations.Nullable;

/**
 * A user's API tokens, for the user and for admins: {@code GET} lists them (never a secret), {@code POST} makes a
 * named one with an optional expiry and shows its secret this once, {@code DELETE …/{id}} revokes one. A token's
 * role never exceeds its maker's: a user's tokens are user tokens; an admin may make admin tokens.
 */
@Path("/v1/users/{user}/tokens")
@Produces(MediaType.APPLICATION_JSON)
public final class TokensResource {

    /** The body of {@code POST}. */
    public record NewToken(
            @Nullable String name,
            @Nullable String expiresAt,
            @Nullable String role) {}

    /** A token as listed; {@code secret} only in the answer that made it. */
    public record TokenView(
            String id,
            String user,
            String role,
            String name,
            String createdAt,
            @Nullable String expiresAt,
            @Nullable String lastUsedAt,
            boolean expired,
            @Nullable String secret) {

        static TokenView of(TokenInfo t, Instant now, @Nullable String secret) {
            return new TokenView(
                    t.id(),
                    t.user(),
                    t.role().wireName(),
                    t.name(),
                    t.createdAt().toString(),
                    t.expiresAt() == null ? null : t.expiresAt().toString(),
                    t.lastUsedAt() == null ? null : t.lastUsedAt().toString(),
                    t.expiredAt(now),
                    secret);
        }
    }

    private final TokenService tokens;
    private final Bodies bodies;
    private final Clock clock;

    TokensResource(TokenService tokens, Bodies bodies, Clock clock) {
        this.tokens = tokens;
        this.bodies = bodies;
        this.clock = clock;
    }

    @GET
    public List<TokenView> list(@PathParam("user") String user, @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        Instant now = clock.instant();
        return tokens.list(target).stream().map(t -> TokenView.of(t, now, null)).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "The token, with its secret (shown only now)",
            content = @Content(schema = @Schema(implementation = TokenView.class)))
    public Response create(
            @PathParam("user") String user,
            @RequestBody(content = @Content(schema = @Schema(implementation = NewToken.class))) @Nullable
                    Map<String, Object> body,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        Caller caller = RunnerResource.caller(security);
        NewToken t = bodies.read(body == null ? Map.of() : body, NewToken.class, "a new token");
        if (t.name() == null || t.name().isBlank()) {
            throw new ApiProblem(400, "bad_request", "Bad request", "a token needs a name (what it is for)");
        }
        Role role = role(t.role(), caller, target);
        Instant expires = expiry(t.expiresAt());
        IssuedToken issued;
        try {
            issued = tokens.issue(target, role, t.name(), expires);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "bad_request", "Bad request", e.getMessage());
        }
        TokenInfo info = tokens.list(target).stream()
                .filter(i -> i.id().equals(issued.id()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("token " + issued.id() + " vanished"));
        return Response.status(201)
                .entity(TokenView.of(info, clock.instant(), issued.secret()))
                .build();
    }

    @DELETE
    @Path("{id}")
    @ApiResponse(responseCode = "204", description = "The token is revoked")
    public Response revoke(
            @PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        boolean theirs = tokens.list(target).stream().anyMatch(t -> t.id().equals(id));
        if (!theirs || tokens.revoke(id).isEmpty()) {
            throw new ApiProblem(404, "token_not_found", "Not found", "user " + target + " has no token " + id);
        }
        return Response.noContent().build();
    }

    /** The new token's role: the maker's by default for their own, user for another's; never above the maker's. */
    private static Role role(@Nullable String asked, Caller caller, String target) {
        if (asked == null) {
            return target.equals(caller.user()) ? caller.role() : Role.USER;
        }
        Role role = Role.parse(asked)
                .orElseThrow(() -> new ApiProblem(400, "bad_request", "Bad request", "role must be user or admin"));
        if (role == Role.ADMIN && caller.role() != Role.ADMIN) {
            throw ApiProblem.forbidden("only an admin makes admin tokens");
        }
        return role;
    }

    private static @Nullable Instant expiry(@Nullable String expiresAt) {
        if (expiresAt == null) {
            return null;
        }
        try {
            return Instant.parse(expiresAt);
        } catch (DateTimeParseException e) {
            throw new ApiProblem(
                    400,
                    "bad_request",
                    "Bad request",
                    "expires_at is a UTC time like 2027-01-31T12:00:00Z, not " + expiresAt);
        }
    }
}
