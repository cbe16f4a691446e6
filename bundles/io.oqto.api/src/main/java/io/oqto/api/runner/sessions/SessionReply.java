package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;

/** Reply carrying one session: to creating, inspecting, stopping and restarting it. */
@RunnerMessage({"session_info", "session_created", "session_stopped", "session_restarting"})
public record SessionReply(Session session) {}
