package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A command for the session's agent, relayed when the session's state allows it. The fields a command does
 * not take are null; the runner's agent bundle turns them into pi's own names.
 *
 * @param command {@code prompt}, {@code steer}, {@code follow_up}, {@code abort}, {@code get_messages},
 *        {@code get_state}, {@code set_model}, …
 */
@RunnerMessage("session_command")
public record SessionCommand(
        String session,
        String command,
        @Nullable String message,
        @Nullable List<Object> images,
        @Nullable String provider,
        @Nullable String modelId)
        implements RunnerRequest<CommandReply> {

    /** A command without arguments. */
    public static SessionCommand of(String session, String command) {
        return new SessionCommand(session, command, null, null, null, null);
    }

    /** {@code prompt}, {@code steer} or {@code follow_up}. */
    public static SessionCommand message(String session, String command, String message, List<Object> images) {
        return new SessionCommand(session, command, message, images, null, null);
    }

    public static SessionCommand setModel(String session, String provider, String modelId) {
        return new SessionCommand(session, "set_model", null, null, provider, modelId);
    }
}
