package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerMessage;
import java.util.List;

/** A batch of the session's events, in order. */
@RunnerMessage("session_events")
public record SessionEvents(String session, List<AgentEvent> events) implements RunnerEvent {}
