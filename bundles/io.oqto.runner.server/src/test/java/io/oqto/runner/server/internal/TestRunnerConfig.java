package io.oqto.runner.server.internal;

import java.lang.annotation.Annotation;

/** A RunnerConfig with the given socket and limits, as DS would build it from config. */
record TestRunnerConfig(
        String socket,
        String controlPlaneUser,
        int maxFrameBytes,
        int maxConnections,
        int maxInFlight,
        int idleExitSeconds)
        implements RunnerConfig {

    TestRunnerConfig(String socket, String controlPlaneUser, int maxFrameBytes, int maxConnections, int maxInFlight) {
        this(socket, controlPlaneUser, maxFrameBytes, maxConnections, maxInFlight, 300);
    }

    static TestRunnerConfig at(String socket) {
        return new TestRunnerConfig(socket, "", 4096, 8, 64);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return RunnerConfig.class;
    }
}
