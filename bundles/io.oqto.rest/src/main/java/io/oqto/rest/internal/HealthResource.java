package io.oqto.rest.internal;

import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/** {@code GET /api/health}: public liveness check for load balancers and the launcher. */
@Path("/health")
public final class HealthResource {

    private final String version;

    HealthResource(String version) {
        this.version = version;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> health() {
        return Map.of("status", "ok", "version", version);
    }
}
