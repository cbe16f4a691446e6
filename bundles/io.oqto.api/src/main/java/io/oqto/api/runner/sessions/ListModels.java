package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/**
 * The models a new session can be given (protocol 1.8): what pi's {@code models.json} offers, prepared as for a
 * session's start (from eavs with the user's key, from {@code [agent] providers}, or the user's own file).
 */
@RunnerMessage("list_models")
public record ListModels() implements RunnerRequest<ModelList> {}
