package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import io.oqto.api.runner.Subscribed;
import io.oqto.api.runner.SubscriptionEnded;

/** Follows a session's events after sequence number {@code after}, replayed from the runner's buffer first. */
@RunnerMessage(
        value = "subscribe_session",
        events = {SessionEvents.class, SessionResync.class, SubscriptionEnded.class})
public record SubscribeSession(String session, long after) implements RunnerRequest<Subscribed> {}
