package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import io.oqto.api.runner.Subscribed;
import io.oqto.api.runner.SubscriptionEnded;

/** Follows a process's output: the buffered lines after {@code after}, then new ones, and every exit. */
@RunnerMessage(
        value = "subscribe_output",
        events = {Output.class, OutputOverflow.class, ProcessExited.class, SubscriptionEnded.class})
public record SubscribeOutput(String name, long after) implements RunnerRequest<Subscribed> {}
