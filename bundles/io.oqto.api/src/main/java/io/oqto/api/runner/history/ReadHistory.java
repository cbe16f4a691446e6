package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/**
 * A page of a conversation's messages: those after idx {@code after} (from the first when null), or with
 * {@code tail} the last ones; {@code limit} 1-1000, default 100.
 */
@RunnerMessage("read_history")
public record ReadHistory(
        String conversation,
        @Nullable Integer after,
        @Nullable Integer limit,
        @Nullable Boolean tail) implements RunnerRequest<MessagePage> {}
