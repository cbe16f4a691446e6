package io.oqto.rest.internal;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.Role;
import io.oqto.api.runner.PingResult;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerStatus;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

/**
 * A user's runner: {@code GET /api/v1/users/{user}/runner} (status fetched over its socket) and
 * {@code POST …/runner/ping} (round-trip time). {@code me} names the caller. Users reach only their
 * own runner; admins reach any.
 */
@Path("/v1/users/{user}/runner")
@Produces(MediaType.APPLICATION_JSON)
public final class RunnerResource {

    private final RunnerGateway runners;

    RunnerResource(RunnerGateway runners) {
        this.runners = runners;
    }

    @GET
    public RunnerStatus status(@PathParam("user") String user, @Context SecurityContext security) {
        return runners.status(authorize(user, security));
    }

    @POST
    @Path("/ping")
    @ChangesNothing
    public PingReply ping(@PathParam("user") String user, @Context SecurityContext security) {
        PingResult r = runners.ping(authorize(user, security));
        return new PingReply(r.user(), r.roundTripMicros(), r.roundTripMicros() / 1000.0);
    }

    /** Resolves {@code me} and checks that the caller may act on {@code user}. */
    static String authorize(String user, SecurityContext security) {
        Caller caller = caller(security);
        String target = "me".equals(user) ? caller.user() : user;
        if (!caller.mayAccess(target)) {
            throw ApiProblem.forbidden("user " + caller.user() + " may not access the runner of " + target);
        }
        return target;
    }

    /** Refuses a caller who is not an admin, saying what needs one. */
    static Caller requireAdmin(SecurityContext security, String needsAdmin) {
        Caller caller = caller(security);
        if (caller.role() != Role.ADMIN) {
            throw ApiProblem.forbidden(needsAdmin);
        }
        return caller;
    }

    /** Who is calling, as the bearer filter found it. */
    static Caller caller(SecurityContext security) {
        return ((AuthFilter.CallerContext) security).caller();
    }

    /** Reply of the ping endpoint. */
    public record PingReply(String user, long roundTripMicros, double roundTripMs) {}
}
