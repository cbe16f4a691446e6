package io.oqto.routing.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [routing]} section of config.toml. */
@ObjectClassDefinition(name = "Oqto runner routing", description = "The [routing] section of config.toml")
@interface RoutingConfig {

    @AttributeDefinition(description = "Runner socket path; {uid} and {user} are replaced")
    String socketPattern() default "/run/user/{uid}/oqto-runner.sock";

    @AttributeDefinition(description = "Prefix of platform users' Linux names in multi-user mode")
    String linuxUserPrefix() default "oqto_";

    @AttributeDefinition(description = "Persistent connections per runner")
    int poolSize() default 2;

    @AttributeDefinition(description = "How long a runner may take to answer, in milliseconds")
    int requestTimeoutMs() default 5000;

    @AttributeDefinition(description = "How long connecting plus hello may take, in milliseconds")
    int connectTimeoutMs() default 15000;

    @AttributeDefinition(description = "Single-user mode: start the runner when none answers")
    boolean autostart() default true;

    @AttributeDefinition(description = "Single-user mode: the runner launcher to start (empty: no autostart)")
    String runnerCommand() default "";
}
