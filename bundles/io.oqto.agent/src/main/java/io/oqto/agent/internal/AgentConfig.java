package io.oqto.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [agent]} section of config.toml. */
@ObjectClassDefinition(name = "Oqto agent sessions", description = "The [agent] section of config.toml")
@interface AgentConfig {

    @AttributeDefinition(description = "How long pi may take to answer get_state after it was spawned, in ms")
    long startTimeoutMs() default 30000;

    @AttributeDefinition(description = "A streaming pi that writes nothing for this long is stopped, in ms")
    long stallTimeoutMs() default 300000;

    @AttributeDefinition(description = "An idle session nobody watches is stopped after this long, in ms")
    long idleTimeoutMs() default 1800000;

    @AttributeDefinition(description = "Events kept per session for replay")
    int replayEvents() default 5000;

    @AttributeDefinition(description = "Sessions per runner")
    int maxSessions() default 16;

    @AttributeDefinition(description = "Providers written to pi's models.json: \"name api base_url key models\"")
    String[] providers() default {};

    @AttributeDefinition(
            description = "Multi-user mode: hand the providers' keys to every user's agent (each user can read them)")
    boolean sharedProviderKeys() default false;
}
