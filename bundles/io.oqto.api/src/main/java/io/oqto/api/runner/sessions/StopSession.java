package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Ends the session's agent; the session stays, restartable, with the reason visible. */
@RunnerMessage("stop_session")
public record StopSession(String session) implements RunnerRequest<SessionReply> {}
