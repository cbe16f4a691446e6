package io.oqto.api.runner;

/**
 * The last event of every subscription: the client unsubscribed, the runner is stopping, or the connection
 * to the runner was lost ({@link #CONNECTION_LOST}).
 *
 * @param reason why it ended, in words
 * @since 2.0
 */
@RunnerMessage("subscription_ended")
public record SubscriptionEnded(String reason) implements RunnerEvent {

    /** The reason given when the control plane lost its connection to the runner. */
    public static final String CONNECTION_LOST = "runner connection lost";
}
