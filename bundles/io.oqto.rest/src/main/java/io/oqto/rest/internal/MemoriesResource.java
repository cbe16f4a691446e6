package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.memory.CreateMemory;
import io.oqto.api.runner.memory.DeleteMemory;
import io.oqto.api.runner.memory.GetMemory;
import io.oqto.api.runner.memory.ListMemories;
import io.oqto.api.runner.memory.MemoryHits;
import io.oqto.api.runner.memory.MemoryList;
import io.oqto.api.runner.memory.SearchMemories;
import io.oqto.api.runner.memory.StoredMemory;
import io.oqto.api.runner.memory.UpdateMemory;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
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
import org.jspecify.annotations.Nullable;

/**
 * A user's memories, through their runner, per workspace directory ({@code workspace}, relative to the workspace,
 * default its root): list (category and tag filters, paged), create, read, change, delete, and search with the mode
 * used and why it is not the one asked for.
 */
@Path("/v1/users/{user}/memories")
@Produces(MediaType.APPLICATION_JSON)
public final class MemoriesResource {

    /** The body of {@code POST …/memories}. */
    record NewMemory(
            String content,
            @Nullable String category,
            @Nullable List<String> tags,
            @Nullable Integer importance,
            @Nullable String workspace) {}

    /** The body of {@code PUT …/memories/{id}}. */
    record MemoryChange(
            @Nullable String content,
            @Nullable String category,
            @Nullable List<String> tags,
            @Nullable Integer importance,
            @Nullable String workspace) {}

    /** The body of {@code POST …/memories/search}. */
    record Search(
            String query,
            @Nullable Integer limit,
            @Nullable String mode,
            @Nullable String workspace) {}

    private final RunnerGateway runners;
    private final Bodies bodies;

    MemoriesResource(RunnerGateway runners, Bodies bodies) {
        this.runners = runners;
        this.bodies = bodies;
    }

    @GET
    public MemoryList list(
            @PathParam("user") String user,
            @QueryParam("workspace") String workspace,
            @QueryParam("category") String category,
            @QueryParam("tag") String tag,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @Context SecurityContext security) {
        return runners.call(
                RunnerResource.authorize(user, security),
                new ListMemories(
                        blankAsNull(workspace),
                        blankAsNull(category),
                        blankAsNull(tag),
                        (int) QueryParams.whole("limit", limit, 50, 1, 100),
                        (int) QueryParams.whole("offset", offset, 0, 0, Integer.MAX_VALUE)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "The memory, stored",
            content = @Content(schema = @Schema(implementation = StoredMemory.class)))
    public Response create(
            @PathParam("user") String user,
            @RequestBody(content = @Content(schema = @Schema(implementation = NewMemory.class)))
                    Map<String, Object> body,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        NewMemory m = bodies.read(body, NewMemory.class, "creating a memory");
        StoredMemory made = runners.call(
                        target, new CreateMemory(m.workspace(), m.content(), m.category(), m.tags(), m.importance()))
                .memory();
        return Response.status(201).entity(made).build();
    }

    @POST
    @Path("search")
    @Consumes(MediaType.APPLICATION_JSON)
    public MemoryHits search(
            @PathParam("user") String user,
            @RequestBody(content = @Content(schema = @Schema(implementation = Search.class))) Map<String, Object> body,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        Search s = bodies.read(body, Search.class, "searching memories");
        return runners.call(target, new SearchMemories(s.query(), s.limit(), s.mode(), s.workspace()));
    }

    @GET
    @Path("{id}")
    public StoredMemory one(
            @PathParam("user") String user,
            @PathParam("id") String id,
            @QueryParam("workspace") String workspace,
            @Context SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), new GetMemory(id, blankAsNull(workspace)))
                .memory();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public StoredMemory change(
            @PathParam("user") String user,
            @PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(implementation = MemoryChange.class)))
                    Map<String, Object> body,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        MemoryChange c = bodies.read(body, MemoryChange.class, "changing a memory");
        return runners.call(
                        target,
                        new UpdateMemory(id, c.workspace(), c.content(), c.category(), c.tags(), c.importance()))
                .memory();
    }

    @DELETE
    @Path("{id}")
    @ApiResponse(responseCode = "204", description = "The memory is gone")
    public Response delete(
            @PathParam("user") String user,
            @PathParam("id") String id,
            @QueryParam("workspace") String workspace,
            @Context SecurityContext security) {
        runners.call(RunnerResource.authorize(user, security), new DeleteMemory(id, blankAsNull(workspace)));
        return Response.noContent().build();
    }

    private static @Nullable String blankAsNull(@Nullable String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
