package io.oqto.rest.internal;

import io.oqto.api.eavs.AdminUsage;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsStatus;
import io.oqto.api.eavs.UserUsage;
import java.util.function.Supplier;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.jspecify.annotations.Nullable;

/**
 * LLM usage and cost from eavs: {@code GET /api/v1/users/{user}/usage[?days=30]} (own, or any for admins: the
 * period's total, the user's keys with budget and spend, the latest requests), {@code GET /api/v1/admin/usage[?days=7]}
 * (every user, in total and day by day) and {@code GET /api/v1/admin/eavs} (reachable, providers, key counts). No
 * answer carries a key's secret.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class UsageResource {

    private final Supplier<@Nullable EavsAdmin> eavs;

    UsageResource(Supplier<@Nullable EavsAdmin> eavs) {
        this.eavs = eavs;
    }

    @GET
    @Path("/users/{user}/usage")
    public UserUsage user(
            @PathParam("user") String user, @QueryParam("days") String days, @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        int d = (int) QueryParams.whole("days", days, 30, 1, 90);
        return call(e -> e.usage(target, d));
    }

    @GET
    @Path("/admin/usage")
    public AdminUsage all(@QueryParam("days") String days, @Context SecurityContext security) {
        admin(security);
        int d = (int) QueryParams.whole("days", days, 7, 1, 90);
        return call(e -> e.usageByOwner(d));
    }

    @GET
    @Path("/admin/eavs")
    public EavsStatus status(@Context SecurityContext security) {
        admin(security);
        return call(EavsAdmin::status);
    }

    private static void admin(SecurityContext security) {
        RunnerResource.requireAdmin(security, "usage of every user and eavs's state need an admin token");
    }

    private <T> T call(java.util.function.Function<EavsAdmin, T> action) {
        EavsAdmin e = eavs.get();
        if (e == null) {
            throw new ApiProblem(
                    503, "eavs_unavailable", "eavs connector unavailable", "the eavs connector is not running");
        }
        try {
            return action.apply(e);
        } catch (EavsException x) {
            throw switch (x.kind()) {
                case NOT_CONFIGURED ->
                    new ApiProblem(503, "eavs_not_configured", "eavs not configured", x.getMessage());
                case NOT_FOUND -> new ApiProblem(404, "not_found", "Not found", x.getMessage());
                case UNREACHABLE -> new ApiProblem(502, "eavs_unreachable", "eavs unreachable", x.getMessage());
                case REFUSED -> new ApiProblem(502, "eavs_refused", "eavs refused", x.getMessage());
            };
        }
    }
}
