package io.oqto.rest.internal;

import io.oqto.api.metrics.Metrics;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.function.Supplier;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/metrics}: the Prometheus scrape, for admins. Behind the API's own authentication rather than on
 * a listener of its own: a loopback port is open to every local user, and the API's TLS and tokens already protect
 * it (Prometheus sends the token from a file, {@code authorization.credentials_file}).
 */
@Path("/v1/metrics")
public final class MetricsResource {

    private final Supplier<@Nullable Metrics> metrics;

    MetricsResource(Supplier<@Nullable Metrics> metrics) {
        this.metrics = metrics;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @ApiResponse(
            responseCode = "200",
            description = "Prometheus text exposition format 0.0.4",
            content = @Content(schema = @Schema(implementation = String.class)))
    public Response scrape(@Context SecurityContext security) {
        RunnerResource.requireAdmin(security, "the metrics need an admin's token");
        Metrics m = metrics.get();
        if (m == null) {
            throw new ApiProblem(
                    503,
                    "metrics_unavailable",
                    "Metrics unavailable",
                    "the metrics bundle (feature oqto-metrics) is not running");
        }
        StreamingOutput body = m::scrape;
        return Response.ok(body).type(Metrics.CONTENT_TYPE).build();
    }
}
