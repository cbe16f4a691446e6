package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;

/** Reply to {@link ListHistory}. */
@RunnerMessage("history_list")
public record HistoryList(List<HistoryConversation> conversations, HistoryState history) {}
