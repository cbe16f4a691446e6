package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.terminals.CreateTerminal;
import io.oqto.api.runner.terminals.DeleteTerminal;
import io.oqto.api.runner.terminals.ListTerminals;
import io.oqto.api.runner.terminals.Terminal;
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
 * A user's terminals, through their runner: {@code POST} makes one ({@code {cwd?}}; 201 once its program listens),
 * {@code GET} lists them, {@code DELETE …/{id}} ends one with everything its shell started.
 */
@Path("/v1/users/{user}/terminals")
@Produces(MediaType.APPLICATION_JSON)
public final class TerminalsResource {

    /** Starting a terminal waits for its program (a JVM, where ttyd is not installed) to listen. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** The body of {@code POST}. */
    public record NewTerminal(@Nullable String cwd) {}

    private final RunnerGateway runners;
    private final Bodies bodies;

    TerminalsResource(RunnerGateway runners, Bodies bodies) {
        this.runners = runners;
        this.bodies = bodies;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "The terminal runs",
            content = @Content(schema = @Schema(implementation = Terminal.class)))
    public Response create(
            @PathParam("user") String user,
            @RequestBody(content = @Content(schema = @Schema(implementation = NewTerminal.class))) @Nullable
                    Map<String, Object> body,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        NewTerminal t = bodies.read(body == null ? Map.of() : body, NewTerminal.class, "a new terminal");
        Terminal made =
                runners.call(target, new CreateTerminal(t.cwd()), START_TIMEOUT).terminal();
        return Response.status(201).entity(made).build();
    }

    @GET
    public List<Terminal> list(@PathParam("user") String user, @Context SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), new ListTerminals())
                .terminals();
    }

    @DELETE
    @Path("{id}")
    @ApiResponse(responseCode = "204", description = "The terminal is closed")
    public Response delete(
            @PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext security) {
        runners.call(RunnerResource.authorize(user, security), new DeleteTerminal(id));
        return Response.noContent().build();
    }
}
