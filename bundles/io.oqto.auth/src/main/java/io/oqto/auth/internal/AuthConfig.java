package io.oqto.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The keys of {@code [server]} and {@code [auth]} that tokens, passwords and browser sessions use. */
@ObjectClassDefinition(name = "Oqto auth", description = "[server] state_dir and [auth] of config.toml")
@interface AuthConfig {

    @AttributeDefinition(description = "State directory; empty: ~/.local/state/oqto (single-user) or /var/lib/oqto")
    String stateDir() default "";

    @AttributeDefinition(description = "Where the first admin token is written; empty: <state_dir>/admin.token")
    String adminTokenFile() default "";

    @AttributeDefinition(description = "How long a browser stays signed in, in hours")
    long sessionHours() default 12;

    @AttributeDefinition(description = "[server] port: single-user mode's login link points there")
    long port() default 8080;

    @AttributeDefinition(description = "[server] bind: single-user mode's login link points there")
    String bind() default "127.0.0.1";

    @AttributeDefinition(description = "[server] tls_cert: when set, the login link is https")
    String tlsCert() default "";
}
