package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.programs.ProgramStarted;
import io.oqto.api.runner.programs.StartProgram;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /** Longer than the runner's own readiness limit ({@code [programs] ready_timeout_ms}, default 20 s). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(75);

    /** What a client may say about the start; the program comes from the path. */
    record StartBody(String name, List<String> args, String cwd) {}

    private final RunnerGateway runners;
    private final Bodies bodies;

    ProgramsResource(RunnerGateway runners, Bodies bodies) {
        this.runners = runners;
        this.bodies = bodies;
    }

    @POST
    @Path("{program}")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "The program runs",
            content = @Content(schema = @Schema(implementation = ProgramStarted.class)))
    public Response start(
            @PathParam("user") String user,
            @PathParam("program") String program,
            @RequestBody(content = @Content(schema = @Schema(implementation = StartBody.class)))
                    Map<String, Object> body,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        StartBody start = bodies.read(body, StartBody.class, "starting a program");
        ProgramStarted started =
                runners.call(target, new StartProgram(program, start.name(), start.args(), start.cwd()), START_TIMEOUT);
        return Response.status(201).entity(started).build();
    }
}
