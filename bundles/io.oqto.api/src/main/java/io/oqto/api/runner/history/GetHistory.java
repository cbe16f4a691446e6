package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** One conversation; {@code conversation_not_found} when history has none with that id. */
@RunnerMessage("get_history")
public record GetHistory(String conversation) implements RunnerRequest<ConversationReply> {}
