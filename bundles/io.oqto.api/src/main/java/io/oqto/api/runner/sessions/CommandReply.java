package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import org.jspecify.annotations.Nullable;

/** Reply to {@link SessionCommand}: pi's answer's {@code data}, as pi sent it. */
@RunnerMessage("session_reply")
public record CommandReply(
        String session, String command, @Nullable Object data) {}
