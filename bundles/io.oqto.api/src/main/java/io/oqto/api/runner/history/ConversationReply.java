package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;

/** A conversation, as {@link GetHistory} and {@link RenameHistory} answer. */
@RunnerMessage("history_conversation")
public record ConversationReply(HistoryConversation conversation) {}
