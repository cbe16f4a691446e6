package io.oqto.api.runner;

import java.time.Duration;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Routes a per-user operation to that user's runner over its Unix socket. Requests and replies are the
 * records of this package and its area packages ({@code files}, {@code processes}, {@code programs},
 * {@code sessions}); the implementation is the one place that turns them into frames and back.
 * Implementations pool connections per runner and never block longer than their configured timeout.
 *
 * <p>Failures: {@link RunnerErrorException} (the runner refused, with its {@link ErrorCode}),
 * {@link RunnerUnavailableException}, {@link UnknownUserException}.
 */
@ProviderType
public interface RunnerGateway {

    /** The runner's own report about itself, fetched over its socket. */
    RunnerStatus status(String platformUser);

    /**
     * Whether the user's runner is running as far as the control plane knows, without asking it: a connection to it
     * is open. Every other call here connects, and a connection starts a socket-activated runner that has exited
     * because it was idle; what only observes (metrics) asks this first.
     *
     * @since 3.4
     */
    boolean connected(String platformUser);

    /** One protocol round trip to the runner; returns the measured time. */
    PingResult ping(String platformUser);

    /**
     * Sends one request and returns its typed reply, within the configured request timeout.
     *
     * @since 2.0
     */
    <R> R call(String platformUser, RunnerRequest<R> request);

    /**
     * Like {@link #call(String, RunnerRequest)}, for a request known to take longer than the configured
     * request timeout (starting a program waits until it is ready; pi may take long to accept a command).
     *
     * @since 2.0
     */
    <R> R call(String platformUser, RunnerRequest<R> request, Duration timeout);

    /**
     * Sends a subscribing request and delivers the subscription's events (the request's
     * {@link RunnerMessage#events()}) to {@code events}, on a thread that must not be blocked: hand them over,
     * don't process them there. The last event is always a {@link SubscriptionEnded}, also when the runner
     * connection is lost ({@link SubscriptionEnded#CONNECTION_LOST}).
     *
     * @since 2.0
     */
    RunnerSubscription subscribe(String platformUser, RunnerRequest<Subscribed> request, Consumer<RunnerEvent> events);

    /**
     * Sends a request whose reply hands over an open connection (a terminal's), on a runner connection of its own
     * with the same peer checks, and returns the reply with that connection. Failures as for
     * {@link #call(String, RunnerRequest)}; a reply without a connection is a {@link RunnerUnavailableException}.
     *
     * @since 3.2
     */
    <R> Handover<R> handOver(String platformUser, RunnerRequest<R> request);
}
