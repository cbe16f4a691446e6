package io.oqto.terminal.bridge.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [terminals]} section of config.toml. */
@ObjectClassDefinition(name = "Oqto terminals", description = "The [terminals] section of config.toml")
@interface TerminalsConfig {

    @AttributeDefinition(description = "How long a terminal no browser watches is kept for a reconnect, in seconds")
    long graceSeconds() default 60;
}
