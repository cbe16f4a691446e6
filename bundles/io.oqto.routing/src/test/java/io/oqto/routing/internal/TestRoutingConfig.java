package io.oqto.routing.internal;

import java.lang.annotation.Annotation;

/** A RoutingConfig as DS would build it. */
record TestRoutingConfig(
        String socketPattern,
        String linuxUserPrefix,
        int poolSize,
        int requestTimeoutMs,
        int connectTimeoutMs,
        boolean autostart,
        String runnerCommand)
        implements RoutingConfig {

    static TestRoutingConfig pattern(String pattern) {
        return new TestRoutingConfig(pattern, "oqto_", 2, 1000, 1000, false, "");
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return RoutingConfig.class;
    }
}
