package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;

/** Reply to {@link ListSessions}; {@code subscriptions}: session subscriptions open on the runner. */
@RunnerMessage("session_list")
public record SessionList(List<Session> sessions, int subscriptions) {}
