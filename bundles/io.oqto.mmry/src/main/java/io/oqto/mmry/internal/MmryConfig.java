package io.oqto.mmry.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [memory]} section of config.toml, as the mmry connector reads it. */
@ObjectClassDefinition(name = "Oqto mmry connector", description = "The [memory] section of config.toml")
@interface MmryConfig {

    @AttributeDefinition(description = "The user's mmry daemon (its HTTP external API)")
    String mmryUrl() default "http://127.0.0.1:8081";

    @AttributeDefinition(description = "mmry's API key by reference (file:/PATH or env:NAME); empty: none")
    String mmryKey() default "";

    @AttributeDefinition(description = "How long mmry may take to answer, in milliseconds")
    long mmryTimeoutMs() default 5000;
}
