package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Starts a stopped session's agent again. */
@RunnerMessage("restart_session")
public record RestartSession(String session) implements RunnerRequest<SessionReply> {}
