package io.oqto.rest.internal;

import io.oqto.api.auth.Role;
import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.SubscriptionEnded;
import io.oqto.api.runner.processes.GetProcess;
import io.oqto.api.runner.processes.ListProcesses;
import io.oqto.api.runner.processes.Output;
import io.oqto.api.runner.processes.OutputOverflow;
import io.oqto.api.runner.processes.OutputPage;
import io.oqto.api.runner.processes.ProcessExited;
import io.oqto.api.runner.processes.ProcessInfo;
import io.oqto.api.runner.processes.ProcessStopped;
import io.oqto.api.runner.processes.ReadOutput;
import io.oqto.api.runner.processes.SpawnProcess;
import io.oqto.api.runner.processes.StopProcess;
import io.oqto.api.runner.processes.SubscribeOutput;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Map;
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

    private final RunnerGateway runners;
    private final EventStreams streams;
    private final Bodies bodies;

    ProcessesResource(RunnerGateway runners, EventStreams streams, Bodies bodies) {
        this.runners = runners;
        this.streams = streams;
        this.bodies = bodies;
    }

    @GET
    public List<ProcessInfo> list(@PathParam("user") String user, @Context SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), new ListProcesses())
                .processes();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "The process runs",
            content = @Content(schema = @Schema(implementation = ProcessInfo.class)))
    public Response spawn(
            @PathParam("user") String user,
            @RequestBody(content = @Content(schema = @Schema(implementation = SpawnProcess.class)))
                    Map<String, Object> body,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        SpawnProcess spawn = bodies.read(body, SpawnProcess.class, "a spawn");
        if (Boolean.FALSE.equals(spawn.sandboxed())
                && RunnerResource.caller(security).role() != Role.ADMIN) {
            // The operator's sandbox policy binds users; only an admin may start something outside it.
            throw ApiProblem.forbidden("only an admin may spawn without the sandbox");
        }
        return Response.status(201)
                .entity(runners.call(target, spawn).process())
                .build();
    }

    @GET
    @Path("{name}")
    public ProcessInfo status(
            @PathParam("user") String user, @PathParam("name") String name, @Context SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), new GetProcess(name))
                .process();
    }

    @GET
    @Path("{name}/output")
    public OutputPage output(
            @PathParam("user") String user,
            @PathParam("name") String name,
            @QueryParam("after") String afterParam,
            @QueryParam("max") String maxParam,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        long after = QueryParams.whole("after", afterParam, 0, 0, Long.MAX_VALUE);
        long max = QueryParams.whole("max", maxParam, 1000, 1, 5000);
        return runners.call(target, new ReadOutput(name, after, max));
    }

    /**
     * The process's output as server-sent events: {@code output} (numbered lines), {@code output_overflow}
     * (lines the runner no longer had), {@code overflow} (events this client read too slowly to get),
     * {@code process_exited} per exit; the stream ends after the final exit.
     */
    @GET
    @Path("{name}/events")
    @Produces("text/event-stream")
    @ApiResponse(
            responseCode = "200",
            description = "Server-sent events until the process has exited",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(implementation = String.class)))
    public Response events(
            @PathParam("user") String user,
            @PathParam("name") String name,
            @QueryParam("after") String afterParam,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        long after = QueryParams.whole("after", afterParam, 0, 0, Long.MAX_VALUE);
        return streams.open(
                target,
                streams.newStream(ProcessesResource::sse, ProcessesResource::isLast),
                events -> runners.subscribe(target, new SubscribeOutput(name, after), events));
    }

    /** A process event as a server-sent event, named as in docs/rest-api.md. */
    static List<EventStream.Sse> sse(RunnerEvent e) {
        String name = e instanceof Output
                ? "output"
                : e instanceof OutputOverflow
                        ? "output_overflow"
                        : e instanceof ProcessExited ? "process_exited" : "subscription_ended";
        return List.of(new EventStream.Sse(null, name, e));
    }

    /** The stream is over after the final exit, or when the runner ended the subscription. */
    static boolean isLast(RunnerEvent e) {
        return e instanceof SubscriptionEnded || (e instanceof ProcessExited exited && !exited.restarting());
    }

    @POST
    @Path("{name}/stop")
    public ProcessStopped stop(
            @PathParam("user") String user,
            @PathParam("name") String name,
            @QueryParam("grace_ms") String graceParam,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        long graceMs = QueryParams.whole("grace_ms", graceParam, 5000, 0, 60_000);
        return runners.call(target, new StopProcess(name, graceMs));
    }
}
