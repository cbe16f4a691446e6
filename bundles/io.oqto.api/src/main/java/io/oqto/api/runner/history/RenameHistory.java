package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Gives a conversation a title (1-200 characters, no control characters). */
@RunnerMessage("rename_history")
public record RenameHistory(String conversation, String title) implements RunnerRequest<ConversationReply> {}
