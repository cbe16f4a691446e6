package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;

/** Reply to {@link SearchHistory}. */
@RunnerMessage("history_hits")
public record SearchResults(String query, List<SearchHit> hits) {}
