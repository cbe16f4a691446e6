package io.oqto.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The keys of {@code [server]} and {@code [auth]} that token storage uses. */
@ObjectClassDefinition(name = "Oqto auth", description = "[server] state_dir and [auth] of config.toml")
@interface AuthConfig {

    @AttributeDefinition(description = "State directory; empty: ~/.local/state/oqto (single-user) or /var/lib/oqto")
    String stateDir() default "";

    @AttributeDefinition(description = "Where the first admin token is written; empty: <state_dir>/admin.token")
    String adminTokenFile() default "";
}
