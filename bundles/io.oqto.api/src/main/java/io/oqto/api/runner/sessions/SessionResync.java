package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerMessage;

/** {@code missed} events left the runner's buffer before this subscriber got them; it goes on after {@code resumedAfter}. */
@RunnerMessage("session_resync")
public record SessionResync(String session, long missed, long resumedAfter) implements RunnerEvent {}
