package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * Starts one of a user's named programs ({@code pi}, {@code fileserver}, {@code ttyd}) through their runner,
 * answering once it is ready: 201 with the process and, for the servers, the Unix socket it listens on.
 */
@Path("/v1/users/{user}/programs")
@Produces(MediaType.APPLICATION_JSON)
public final class ProgramsResource {

    static final Set<String> FIELDS = Set.of("name", "args", "cwd");
    /** Longer than the runner's own readiness limit ({@code [programs] ready_timeout_ms}, default 20 s). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(75);

    private final RunnerGateway runners;

    ProgramsResource(RunnerGateway runners) {
        this.runners = runners;
    }

    @POST
    @Path("{program}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@PathParam("user") String user, @PathParam("program") String program, Map<String, Object> body,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        Map<String, Object> fields = new LinkedHashMap<>(body == null ? Map.of() : body);
        if (!FIELDS.containsAll(fields.keySet())) {
            throw new ApiProblem(400, "bad_request", "Bad request", "starting a program takes only " + new java.util.TreeSet<>(FIELDS));
        }
        fields.put("program", program);
        Map<String, Object> reply = runners.request(target, "start_program", fields, START_TIMEOUT);
        reply.remove("type");
        return Response.status(201).entity(reply).build();
    }
}
