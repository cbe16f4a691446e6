package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * A user's processes, through their runner: list, spawn, status, output, stop. Users manage their own,
 * admins anyone's (operators stop runaway processes here or with {@code oqto:process-stop}).
 */
@Path("/v1/users/{user}/processes")
@Produces(MediaType.APPLICATION_JSON)
public final class ProcessesResource {

    /** What a client may pass when spawning; anything else is refused rather than forwarded. */
    static final Set<String> SPAWN_FIELDS = Set.of("name", "argv", "cwd", "env", "sandboxed", "profile", "restart", "limits");

    private final RunnerGateway runners;
    private final EventStreams streams;

    ProcessesResource(RunnerGateway runners, EventStreams streams) {
        this.runners = runners;
        this.streams = streams;
    }

    @GET
    public Object list(@PathParam("user") String user, @Context SecurityContext security) {
        return runners.request(RunnerResource.authorize(user, security), "list_processes", Map.of()).get("processes");
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response spawn(@PathParam("user") String user, Map<String, Object> body, @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        if (body == null || !SPAWN_FIELDS.containsAll(body.keySet())) {
            throw new ApiProblem(400, "bad_request", "Bad request", "a spawn takes only " + new java.util.TreeSet<>(SPAWN_FIELDS));
        }
        if (Boolean.FALSE.equals(body.get("sandboxed")) && ((BearerAuthFilter.CallerContext) security).caller().role() != io.oqto.api.auth.Role.ADMIN) {
            // The operator's sandbox policy binds users; only an admin may start something outside it.
            throw ApiProblem.forbidden("only an admin may spawn without the sandbox");
        }
        Map<String, Object> reply = runners.request(target, "spawn_process", new LinkedHashMap<>(body));
        return Response.status(201).entity(reply.get("process")).build();
    }

    @GET
    @Path("{name}")
    public Object status(@PathParam("user") String user, @PathParam("name") String name, @Context SecurityContext security) {
        return runners.request(RunnerResource.authorize(user, security), "process_status", Map.of("name", name)).get("process");
    }

    @GET
    @Path("{name}/output")
    public Map<String, Object> output(@PathParam("user") String user, @PathParam("name") String name,
            @QueryParam("after") String afterParam, @QueryParam("max") String maxParam,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        long after = QueryParams.whole("after", afterParam, 0, 0, Long.MAX_VALUE);
        long max = QueryParams.whole("max", maxParam, 1000, 1, 5000);
        Map<String, Object> reply = runners.request(target, "read_output",
                Map.of("name", name, "after", after, "max", max));
        reply.remove("type");
        return reply;
    }

    /**
     * The process's output as server-sent events: {@code output} (numbered lines), {@code output_overflow}
     * (lines the runner no longer had), {@code overflow} (events this client read too slowly to get),
     * {@code process_exited} per exit; the stream ends after the final exit.
     */
    @GET
    @Path("{name}/events")
    @Produces("text/event-stream")
    public Response events(@PathParam("user") String user, @PathParam("name") String name,
            @QueryParam("after") String afterParam, @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        long after = QueryParams.whole("after", afterParam, 0, 0, Long.MAX_VALUE);
        return streams.open(target, streams.newStream(),
                events -> runners.subscribe(target, "subscribe_output", Map.of("name", name, "after", after), events));
    }

    @POST
    @Path("{name}/stop")
    public Map<String, Object> stop(@PathParam("user") String user, @PathParam("name") String name,
            @QueryParam("grace_ms") String graceParam, @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        long graceMs = QueryParams.whole("grace_ms", graceParam, 5000, 0, 60_000);
        Map<String, Object> reply = runners.request(target, "stop_process",
                Map.of("name", name, "grace_ms", graceMs));
        reply.remove("type");
        return reply;
    }
}
