package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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

    static final Set<String> CREATE_FIELDS = Set.of("session", "provider", "model", "cwd", "resume");
    static final Set<String> MESSAGE_FIELDS = Set.of("message", "images");
    /** A prompt is answered once pi accepted it; compacting can take minutes. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    /** The message commands by their path, with how a refusal names them. */
    private static final Map<String, String> MESSAGE_COMMANDS = Map.of("prompt", "prompt", "steer", "steer", "follow-up", "follow_up");
    private static final Map<String, String> MESSAGE_WHAT = Map.of("prompt", "a prompt", "steer", "steering",
            "follow-up", "a follow-up");

    private final RunnerGateway runners;
    private final EventStreams streams;

    SessionsResource(RunnerGateway runners, EventStreams streams) {
        this.runners = runners;
        this.streams = streams;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("user") String user, Map<String, Object> body, @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        Map<String, Object> fields = only(body, CREATE_FIELDS, "creating a session");
        return Response.status(201).entity(runners.request(target, "create_session", fields).get("session")).build();
    }

    @GET
    public Object list(@PathParam("user") String user, @Context SecurityContext security) {
        return runners.request(RunnerResource.authorize(user, security), "list_sessions", Map.of()).get("sessions");
    }

    @GET
    @Path("{id}")
    public Object one(@PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return session(user, id, "session_info", security);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        runners.request(RunnerResource.authorize(user, security), "delete_session", Map.of("session", id));
        return Response.noContent().build();
    }

    /** A request about one session whose reply carries the session. */
    private Object session(String user, String id, String type, SecurityContext security) {
        return runners.request(RunnerResource.authorize(user, security), type, Map.of("session", id)).get("session");
    }

    /** {@code prompt}, {@code steer} and {@code follow-up}: a message (and images) for the agent. */
    @POST
    @Path("{id}/{command: prompt|steer|follow-up}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Object message(@PathParam("user") String user, @PathParam("id") String id, @PathParam("command") String command,
            Map<String, Object> body, @Context SecurityContext security) {
        return command(user, id, MESSAGE_COMMANDS.get(command), only(body, MESSAGE_FIELDS, MESSAGE_WHAT.get(command)), security);
    }

    @POST
    @Path("{id}/abort")
    public Object abort(@PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return command(user, id, "abort", Map.of(), security);
    }

    @GET
    @Path("{id}/messages")
    public Object messages(@PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return command(user, id, "get_messages", Map.of(), security);
    }

    @GET
    @Path("{id}/state")
    public Object state(@PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return command(user, id, "get_state", Map.of(), security);
    }

    @PUT
    @Path("{id}/model")
    @Consumes(MediaType.APPLICATION_JSON)
    public Object model(@PathParam("user") String user, @PathParam("id") String id, Map<String, Object> body,
            @Context SecurityContext security) {
        Map<String, Object> fields = only(body, Set.of("provider", "model_id"), "setting the model");
        Map<String, Object> pi = new LinkedHashMap<>();
        pi.put("provider", fields.get("provider"));
        pi.put("modelId", fields.get("model_id"));
        return command(user, id, "set_model", pi, security);
    }

    @POST
    @Path("{id}/stop")
    public Object stop(@PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return session(user, id, "stop_session", security);
    }

    @POST
    @Path("{id}/restart")
    public Object restart(@PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return session(user, id, "restart_session", security);
    }

    /**
     * The session's events: {@code id:} is the sequence number, {@code event:} the event type, {@code data:}
     * the event. Resumes after {@code Last-Event-ID} (or {@code ?after=}) from the runner's replay buffer;
     * {@code resync} when that no longer covers the gap, or when this client read too slowly.
     */
    @GET
    @Path("{id}/events")
    @Produces("text/event-stream")
    public Response events(@PathParam("user") String user, @PathParam("id") String id,
            @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("after") String afterParam,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        long from = QueryParams.whole("after", afterParam, 0, 0, Long.MAX_VALUE);
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                from = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw new ApiProblem(400, "invalid_header", "Bad request", "header Last-Event-ID must be an event's sequence number");
            }
        }
        EventStream stream = streams.newStream(SessionsResource::sse, e -> "subscription_ended".equals(e.get("type")))
                .resyncOnOverflow();
        long resumeFrom = from;
        return streams.open(target, stream,
                events -> runners.subscribe(target, "subscribe_session", Map.of("session", id, "after", resumeFrom), events));
    }

    /** A runner frame as server-sent events: a batch of session events gives one each. */
    static java.util.List<EventStream.Sse> sse(Map<String, Object> frame) {
        return switch (String.valueOf(frame.get("type"))) {
            case "session_events" -> ((java.util.List<?>) frame.get("events")).stream().map(o -> {
                Map<?, ?> event = (Map<?, ?>) o;
                return new EventStream.Sse(String.valueOf(event.get("seq")), String.valueOf(event.get("type")), event);
            }).toList();
            case "session_resync" -> java.util.List.of(new EventStream.Sse(null, "resync", Map.of("missed", frame.get("missed"),
                    "resumed_after", frame.get("resumed_after"))));
            default -> java.util.List.of(new EventStream.Sse(null, "end", Map.of("reason", String.valueOf(frame.get("reason")))));
        };
    }

    private Object command(String user, String id, String command, Map<String, Object> fields, SecurityContext security) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        f.put("session", id);
        f.put("command", command);
        Map<String, Object> reply = runners.request(RunnerResource.authorize(user, security), "session_command", f, COMMAND_TIMEOUT);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session", id);
        out.put("command", command);
        out.put("data", reply.get("data"));
        return out;
    }

    private static Map<String, Object> only(Map<String, Object> body, Set<String> allowed, String what) {
        Map<String, Object> fields = new LinkedHashMap<>(body == null ? Map.of() : body);
        if (!allowed.containsAll(fields.keySet())) {
            throw new ApiProblem(400, "bad_request", "Bad request", what + " takes only " + new java.util.TreeSet<>(allowed));
        }
        return fields;
    }
}
