package io.oqto.api.runner;

/**
 * A request to a runner whose reply is an {@code R}. Implemented by records annotated with
 * {@link RunnerMessage}; {@link RunnerGateway#call} sends them and returns the typed reply.
 *
 * @param <R> the reply record
 * @since 2.0
 */
public interface RunnerRequest<R> {}
