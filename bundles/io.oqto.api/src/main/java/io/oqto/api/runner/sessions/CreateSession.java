package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/**
 * Creates a session and starts its agent (start-up continues as events).
 *
 * @param session the id (1-40 of a-z, 0-9 and -), generated when null
 * @param resume the id of an earlier pi session to continue
 */
@RunnerMessage("create_session")
public record CreateSession(
        @Nullable String session,
        @Nullable String provider,
        @Nullable String model,
        @Nullable String cwd,
        @Nullable String resume)
        implements RunnerRequest<SessionReply> {}
