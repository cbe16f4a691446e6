package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.files.CreateDirectory;
import io.oqto.api.runner.files.RenamePath;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import org.jspecify.annotations.Nullable;

/**
 * Changes to a workspace's tree that are not a file's content, through the user's runner:
 * {@code POST …/directories {path, create_parents?}} (201) and {@code POST …/renames {from, to, overwrite?}}. Each
 * is a root resource of its own: a root at {@code /v1/users/{user}} would be chosen over {@code /v1}'s
 * {@code users/{user}/usage} and hide it.
 */
public final class WorkspaceEditsResource {

    private WorkspaceEditsResource() {}

    /** The body of a new directory. */
    public record NewDirectory(
            @Nullable String path, @Nullable Boolean createParents) {}

    /** The answer to a new directory: its path, as given. */
    public record DirectoryMade(String path) {}

    /** The body of a rename. */
    public record Rename(
            @Nullable String from,
            @Nullable String to,
            @Nullable Boolean overwrite) {}

    /** {@code POST /api/v1/users/{user}/directories}. */
    @Path("/v1/users/{user}/directories")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    public static final class Directories {

        private final RunnerGateway runners;
        private final Bodies bodies;

        Directories(RunnerGateway runners, Bodies bodies) {
            this.runners = runners;
            this.bodies = bodies;
        }

        @POST
        @ApiResponse(
                responseCode = "201",
                description = "The directory was made",
                content = @Content(schema = @Schema(implementation = DirectoryMade.class)))
        public Response mkdir(
                @PathParam("user") String user,
                @RequestBody(content = @Content(schema = @Schema(implementation = NewDirectory.class)))
                        Map<String, Object> body,
                @Context SecurityContext security) {
            String target = RunnerResource.authorize(user, security);
            NewDirectory d = bodies.read(body, NewDirectory.class, "a new directory");
            String path = required(d.path(), "path");
            runners.call(target, new CreateDirectory(path, d.createParents()));
            return Response.status(201).entity(new DirectoryMade(path)).build();
        }
    }

    /** {@code POST /api/v1/users/{user}/renames}. */
    @Path("/v1/users/{user}/renames")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    public static final class Renames {

        private final RunnerGateway runners;
        private final Bodies bodies;

        Renames(RunnerGateway runners, Bodies bodies) {
            this.runners = runners;
            this.bodies = bodies;
        }

        @POST
        public Map<String, Object> rename(
                @PathParam("user") String user,
                @RequestBody(content = @Content(schema = @Schema(implementation = Rename.class)))
                        Map<String, Object> body,
                @Context SecurityContext security) {
            String target = RunnerResource.authorize(user, security);
            Rename r = bodies.read(body, Rename.class, "a rename");
            String from = required(r.from(), "from");
            String to = required(r.to(), "to");
            runners.call(target, new RenamePath(from, to, r.overwrite()));
            return Map.of("from", from, "to", to);
        }
    }

    private static String required(@Nullable String value, String field) {
        if (value == null) {
            throw new ApiProblem(400, "bad_request", "Bad request", "\"" + field + "\" is required");
        }
        return value;
    }
}
