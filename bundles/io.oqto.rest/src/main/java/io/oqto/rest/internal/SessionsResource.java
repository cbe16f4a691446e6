package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.SubscriptionEnded;
import io.oqto.api.runner.sessions.CommandReply;
import io.oqto.api.runner.sessions.CreateSession;
import io.oqto.api.runner.sessions.DeleteSession;
import io.oqto.api.runner.sessions.GetSession;
import io.oqto.api.runner.sessions.ListSessions;
import io.oqto.api.runner.sessions.RestartSession;
import io.oqto.api.runner.sessions.Session;
import io.oqto.api.runner.sessions.SessionCommand;
import io.oqto.api.runner.sessions.SessionEvents;
import io.oqto.api.runner.sessions.SessionResync;
import io.oqto.api.runner.sessions.StopSession;
import io.oqto.api.runner.sessions.SubscribeSession;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
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

/**
 * A user's agent sessions, through their runner: create, list, inspect, delete; prompt, steer, follow up,
 * abort; messages, state, model; and the session's events as server-sent events, numbered so that a
 * reconnecting client resumes with {@code Last-Event-ID}.
 */
@Path("/v1/users/{user}/sessions")
@Produces(MediaType.APPLICATION_JSON)
public final class SessionsResource {

    /** A prompt is answered once pi accepted it; compacting can take minutes. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    /** The message commands by their path, with how a refusal names them. */
    private static final Map<String, String> MESSAGE_COMMANDS =
            Map.of("prompt", "prompt", "steer", "steer", "follow-up", "follow_up");

    private static final Map<String, String> MESSAGE_WHAT =
            Map.of("prompt", "a prompt", "steer", "steering", "follow-up", "a follow-up");

    /** The body of {@code prompt}, {@code steer} and {@code follow-up}. */
    record MessageBody(String message, List<Object> images) {}

    /** The body of {@code PUT …/model}. */
    record ModelBody(String provider, String modelId) {}

    private final RunnerGateway runners;
    private final EventStreams streams;
    private final Bodies bodies;

    SessionsResource(RunnerGateway runners, EventStreams streams, Bodies bodies) {
        this.runners = runners;
        this.streams = streams;
        this.bodies = bodies;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "The session, started",
            content = @Content(schema = @Schema(implementation = Session.class)))
    public Response create(
            @PathParam("user") String user,
            @RequestBody(content = @Content(schema = @Schema(implementation = CreateSession.class)))
                    Map<String, Object> body,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        CreateSession create = bodies.read(body, CreateSession.class, "creating a session");
        return Response.status(201)
                .entity(runners.call(target, create).session())
                .build();
    }

    @GET
    public List<Session> list(@PathParam("user") String user, @Context SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), new ListSessions())
                .sessions();
    }

    @GET
    @Path("{id}")
    public Session one(@PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), new GetSession(id))
                .session();
    }

    @DELETE
    @Path("{id}")
    @ApiResponse(responseCode = "204", description = "The session is gone")
    public Response delete(
            @PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        runners.call(RunnerResource.authorize(user, security), new DeleteSession(id));
        return Response.noContent().build();
    }

    /** {@code prompt}, {@code steer} and {@code follow-up}: a message (and images) for the agent. */
    @POST
    @Path("{id}/{command: prompt|steer|follow-up}")
    @Consumes(MediaType.APPLICATION_JSON)
    public CommandReply message(
            @PathParam("user") String user,
            @PathParam("id") String id,
            @PathParam("command") String command,
            @RequestBody(content = @Content(schema = @Schema(implementation = MessageBody.class)))
                    Map<String, Object> body,
            @Context SecurityContext security) {
        MessageBody m = bodies.read(body, MessageBody.class, MESSAGE_WHAT.getOrDefault(command, command));
        return command(
                user,
                SessionCommand.message(id, MESSAGE_COMMANDS.getOrDefault(command, command), m.message(), m.images()),
                security);
    }

    @POST
    @Path("{id}/abort")
    public CommandReply abort(
            @PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return command(user, SessionCommand.of(id, "abort"), security);
    }

    @GET
    @Path("{id}/messages")
    public CommandReply messages(
            @PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return command(user, SessionCommand.of(id, "get_messages"), security);
    }

    @GET
    @Path("{id}/state")
    public CommandReply state(
            @PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return command(user, SessionCommand.of(id, "get_state"), security);
    }

    @PUT
    @Path("{id}/model")
    @Consumes(MediaType.APPLICATION_JSON)
    public CommandReply model(
            @PathParam("user") String user,
            @PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(implementation = ModelBody.class)))
                    Map<String, Object> body,
            @Context SecurityContext security) {
        ModelBody m = bodies.read(body, ModelBody.class, "setting the model");
        return command(user, SessionCommand.setModel(id, m.provider(), m.modelId()), security);
    }

    @POST
    @Path("{id}/stop")
    public Session stop(@PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), new StopSession(id))
                .session();
    }

    @POST
    @Path("{id}/restart")
    public Session restart(
            @PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), new RestartSession(id))
                .session();
    }

    /**
     * The session's events: {@code id:} is the sequence number, {@code event:} the event type, {@code data:}
     * the event. Resumes after {@code Last-Event-ID} (or {@code ?after=}) from the runner's replay buffer;
     * {@code resync} when that no longer covers the gap, or when this client read too slowly.
     */
    @GET
    @Path("{id}/events")
    @Produces("text/event-stream")
    @ApiResponse(
            responseCode = "200",
            description = "Server-sent events, resumable by Last-Event-ID",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(implementation = String.class)))
    public Response events(
            @PathParam("user") String user,
            @PathParam("id") String id,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") String afterParam,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        long from = QueryParams.whole("after", afterParam, 0, 0, Long.MAX_VALUE);
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                from = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw new ApiProblem(
                        400,
                        "invalid_header",
                        "Bad request",
                        "header Last-Event-ID must be an event's sequence number");
            }
        }
        EventStream stream = streams.newStream(SessionsResource::sse, e -> e instanceof SubscriptionEnded)
                .resyncOnOverflow();
        long resumeFrom = from;
        return streams.open(
                target, stream, events -> runners.subscribe(target, new SubscribeSession(id, resumeFrom), events));
    }

    /** A runner event as server-sent events: a batch of session events gives one each. */
    static List<EventStream.Sse> sse(RunnerEvent event) {
        if (event instanceof SessionEvents batch) {
            return batch.events().stream()
                    .map(e -> new EventStream.Sse(String.valueOf(e.seq()), e.type(), e))
                    .toList();
        }
        if (event instanceof SessionResync r) {
            return List.of(new EventStream.Sse(
                    null, "resync", Map.of("missed", r.missed(), "resumed_after", r.resumedAfter())));
        }
        return List.of(new EventStream.Sse(
                null, "end", Map.of("reason", String.valueOf(((SubscriptionEnded) event).reason()))));
    }

    private CommandReply command(String user, SessionCommand command, SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), command, COMMAND_TIMEOUT);
    }
}
