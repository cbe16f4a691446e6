package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** One session. */
@RunnerMessage("session_info")
public record GetSession(String session) implements RunnerRequest<SessionReply> {}
