package io.oqto.api.runner.sessions;

/**
 * What a session's LLM requests cost so far, summed from pi's own accounting of each assistant message (its
 * {@code usage}); with eavs, eavs's figures are the ones its budget counts (GET …/usage).
 *
 * @param usd cost in US dollars, by the prices pi knows for the model (eavs's, in models.json)
 * @param inputTokens prompt tokens
 * @param outputTokens completion tokens
 * @param messages assistant messages counted
 */
public record SessionCost(double usd, long inputTokens, long outputTokens, long messages) {}
