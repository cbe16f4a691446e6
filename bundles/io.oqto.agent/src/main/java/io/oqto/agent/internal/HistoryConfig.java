package io.oqto.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [history]} section of config.toml, as the runner's sessions and the store's choice read it. */
@ObjectClassDefinition(name = "Oqto chat history", description = "The [history] section of config.toml")
@interface HistoryConfig {

    @AttributeDefinition(
            description = "auto (hstry when its program is installed, else embedded), embedded, hstry or off")
    String store() default "auto";

    @AttributeDefinition(description = "The hstry program: a path, or a name looked up on PATH")
    String hstry() default "hstry";
}
