package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/** The conversations, newest first: {@code limit} (1-1000, default 50) from {@code offset}. */
@RunnerMessage("list_history")
public record ListHistory(@Nullable Integer limit, @Nullable Integer offset) implements RunnerRequest<HistoryList> {}
