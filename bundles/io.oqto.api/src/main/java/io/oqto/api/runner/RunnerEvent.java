package io.oqto.api.runner;

/**
 * An event a runner pushes on a subscription: records annotated with {@link RunnerMessage} and listed in
 * their subscribing request's {@link RunnerMessage#events()}.
 *
 * @since 2.0
 */
public interface RunnerEvent {}
