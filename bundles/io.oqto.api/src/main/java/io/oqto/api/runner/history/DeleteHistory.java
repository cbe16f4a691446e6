package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Deletes a conversation and its messages; refused ({@code invalid_state}) while its session is in the runner. */
@RunnerMessage("delete_history")
public record DeleteHistory(String conversation) implements RunnerRequest<HistoryDeleted> {}
