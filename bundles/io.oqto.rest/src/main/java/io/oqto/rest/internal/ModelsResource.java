package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.sessions.ListModels;
import io.oqto.api.runner.sessions.ModelList;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

/**
 * {@code GET /api/v1/users/{user}/models}: the providers and models a new session can be given, as the user's runner
 * prepares them for pi (from eavs with the user's key, from {@code [agent] providers}, or the user's own models.json).
 */
@Path("/v1/users/{user}/models")
@Produces(MediaType.APPLICATION_JSON)
public final class ModelsResource {

    private final RunnerGateway runners;

    ModelsResource(RunnerGateway runners) {
        this.runners = runners;
    }

    @GET
    public ModelList list(@PathParam("user") String user, @Context SecurityContext security) {
        return runners.call(RunnerResource.authorize(user, security), new ListModels());
    }
}
