package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Stops the session and forgets it. */
@RunnerMessage("delete_session")
public record DeleteSession(String session) implements RunnerRequest<SessionDeleted> {}
