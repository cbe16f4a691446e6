package io.oqto.memory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [memory]} section of config.toml, as the runner's memory requests read it. */
@ObjectClassDefinition(name = "Oqto memory", description = "The [memory] section of config.toml")
@interface MemoryConfig {

    @AttributeDefinition(description = "embedded (the ledger in each workspace), mmry (the user's mmry daemon) or off")
    String store() default "embedded";
}
