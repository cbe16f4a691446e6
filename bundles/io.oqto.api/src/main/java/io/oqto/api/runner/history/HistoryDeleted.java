package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;

/** Reply to {@link DeleteHistory}. */
@RunnerMessage("history_deleted")
public record HistoryDeleted(String conversation) {}
