package io.oqto.mmry.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [memory]} section of config.toml, and {@code [usermgr] uid_min}, as the mmry connector reads them. */
@ObjectClassDefinition(name = "Oqto mmry connector", description = "[memory], [usermgr] uid_min")
@interface MmryConfig {

    @AttributeDefinition(
            description = "The user's mmry daemon (its HTTP external API); with {port}: each user's own, on the port"
                    + " their uid gives")
    String mmryUrl() default "http://127.0.0.1:8081";

    @AttributeDefinition(
            description = "mmry's API key by reference (file:/PATH or env:NAME); empty: none, or with {port} the key"
                    + " provisioning wrote to ~/.config/oqto/mmry.key")
    String mmryKey() default "";

    @AttributeDefinition(description = "With {port}: a user's mmry listens on this plus (uid - [usermgr] uid_min)")
    long mmryUserPortBase() default 48000;

    @AttributeDefinition(description = "[usermgr]: the lowest UID given to a platform user")
    long uidMin() default 2000;

    @AttributeDefinition(description = "How long mmry may take to answer, in milliseconds")
    long mmryTimeoutMs() default 5000;
}
