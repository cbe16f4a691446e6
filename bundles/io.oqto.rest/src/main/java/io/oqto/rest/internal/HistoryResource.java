package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.history.DeleteHistory;
import io.oqto.api.runner.history.GetHistory;
import io.oqto.api.runner.history.HistoryConversation;
import io.oqto.api.runner.history.HistoryList;
import io.oqto.api.runner.history.ListHistory;
import io.oqto.api.runner.history.MessagePage;
import io.oqto.api.runner.history.ReadHistory;
import io.oqto.api.runner.history.RenameHistory;
import io.oqto.api.runner.history.SearchHistory;
import io.oqto.api.runner.history.SearchResults;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * A user's chat history, through their runner (whichever store it keeps history in): conversations newest first,
 * one conversation, its messages a page at a time (after an idx, or the tail), a new title, deletion, and search
 * with workspace, role and time filters. Resuming a conversation is {@code POST …/sessions {"resume": id}}.
 */
@Path("/v1/users/{user}/history")
@Produces(MediaType.APPLICATION_JSON)
public final class HistoryResource {

    /** The body of {@code PATCH …/history/{id}}. */
    record TitleBody(String title) {}

    private final RunnerGateway runners;
    private final Bodies bodies;

    HistoryResource(RunnerGateway runners, Bodies bodies) {
        this.runners = runners;
        this.bodies = bodies;
    }

    @GET
    public HistoryList list(
            @PathParam("user") String user,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @Context SecurityContext security) {
        return runners.call(
                RunnerResource.authorize(user, security),
                new ListHistory((int) QueryParams.whole("limit", limit, 50, 1, 1000), (int)
                        QueryParams.whole("offset", offset, 0, 0, Integer.MAX_VALUE)));
    }

    @GET
    @Path("search")
    public SearchResults search(
            @PathParam("user") String user,
            @QueryParam("q") String q,
            @QueryParam("workspace") String workspace,
            @QueryParam("role") String role,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("limit") String limit,
            @Context SecurityContext security) {
        if (q == null || q.isBlank()) {
            throw new ApiProblem(
                    400, "invalid_parameter", "Bad request", "query parameter q is required: the words to look for");
        }
        return runners.call(
                RunnerResource.authorize(user, security),
                new SearchHistory(
                        q,
                        workspace == null || workspace.isEmpty() ? null : workspace,
                        role == null || role.isEmpty() ? null : role,
                        QueryParams.instant("since", since),
                        QueryParams.instant("until", until),
                        (int) QueryParams.whole("limit", limit, 20, 1, 1000)));
    }

    @GET
    @Path("{id}")
    public HistoryConversation one(
            @PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), new GetHistory(id))
                .conversation();
    }

    @GET
    @Path("{id}/messages")
    public MessagePage messages(
            @PathParam("user") String user,
            @PathParam("id") String id,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit,
            @QueryParam("tail") String tail,
            @Context SecurityContext security) {
        boolean last = QueryParams.flag("tail", tail, false);
        Integer afterIdx = after == null || after.isEmpty()
                ? null
                : (int) QueryParams.whole("after", after, -1, -1, Integer.MAX_VALUE);
        return runners.call(
                RunnerResource.authorize(user, security),
                new ReadHistory(
                        id, afterIdx, (int) QueryParams.whole("limit", limit, 100, 1, 1000), last ? true : null));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public HistoryConversation rename(
            @PathParam("user") String user,
            @PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(implementation = TitleBody.class)))
                    Map<String, Object> body,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        TitleBody t = bodies.read(body, TitleBody.class, "renaming a conversation");
        return runners.call(target, new RenameHistory(id, t.title())).conversation();
    }

    @DELETE
    @Path("{id}")
    @ApiResponse(responseCode = "204", description = "The conversation is gone")
    public Response delete(
            @PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        runners.call(RunnerResource.authorize(user, security), new DeleteHistory(id));
        return Response.noContent().build();
    }
}
