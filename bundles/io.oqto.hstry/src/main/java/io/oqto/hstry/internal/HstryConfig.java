package io.oqto.hstry.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [history]} section of config.toml, as the hstry connector reads it. */
@ObjectClassDefinition(name = "Oqto hstry connector", description = "The [history] section of config.toml")
@interface HstryConfig {

    @AttributeDefinition(description = "The hstry program: a path, or a name looked up on PATH")
    String hstry() default "hstry";

    @AttributeDefinition(description = "How long hstry may take to answer, in milliseconds")
    long hstryTimeoutMs() default 5000;
}
