package io.oqto.gate.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What the gate reads of the {@code [server]} section of config.toml. */
@ObjectClassDefinition(name = "Oqto API gate", description = "[server] hold_seconds")
@interface GateConfig {

    @AttributeDefinition(description = "How long a request waits while the REST API is swapped before 503")
    long holdSeconds() default 15;
}
