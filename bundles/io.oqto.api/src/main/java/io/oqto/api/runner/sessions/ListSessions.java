package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Every session of the runner. */
@RunnerMessage("list_sessions")
public record ListSessions() implements RunnerRequest<SessionList> {}
