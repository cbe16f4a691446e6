package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/**
 * Messages with the words of {@code query}, newest first, optionally of one workspace and role, made in
 * [{@code since}, {@code until}) (milliseconds since 1970); {@code limit} 1-1000, default 20.
 */
@RunnerMessage("search_history")
public record SearchHistory(
        String query,
        @Nullable String workspace,
        @Nullable String role,
        @Nullable Long since,
        @Nullable Long until,
        @Nullable Integer limit)
        implements RunnerRequest<SearchResults> {}
