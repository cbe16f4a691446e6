package io.oqto.api.runner;

/**
 * The runner's reply to a subscribing request.
 *
 * @param subscription the subscription's id on its connection
 * @since 2.0
 */
@RunnerMessage("subscribed")
public record Subscribed(String subscription) {}
