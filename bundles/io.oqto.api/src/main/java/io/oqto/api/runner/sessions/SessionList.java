package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.history.HistoryState;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reply to {@link ListSessions}: the runner's sessions, then earlier ones from history; {@code subscriptions}:
 * session subscriptions open on the runner; {@code history}: where history is kept (since 1.5).
 */
@RunnerMessage("session_list")
public record SessionList(
        List<Session> sessions, int subscriptions, @Nullable HistoryState history) {}
