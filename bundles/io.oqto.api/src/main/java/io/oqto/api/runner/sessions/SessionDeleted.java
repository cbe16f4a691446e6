package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;

/** Reply to {@link DeleteSession}. */
@RunnerMessage("session_deleted")
public record SessionDeleted(String session) {}
