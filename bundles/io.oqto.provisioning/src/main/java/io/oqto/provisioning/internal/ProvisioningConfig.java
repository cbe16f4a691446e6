package io.oqto.provisioning.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The keys of {@code [server]}, {@code [routing]}, {@code [usermgr]} and {@code [memory]} that provisioning uses. */
@ObjectClassDefinition(
        name = "Oqto provisioning",
        description = "[server] state_dir, [routing] linux_user_prefix, [usermgr]")
@interface ProvisioningConfig {

    @AttributeDefinition(description = "State directory; empty: /var/lib/oqto")
    String stateDir() default "";

    @AttributeDefinition(description = "Prefix of platform users' Linux names")
    String linuxUserPrefix() default "oqto_";

    @AttributeDefinition(description = "The root helper's socket")
    String socket() default "/run/oqto/usermgr.sock";

    @AttributeDefinition(description = "Login shell of new platform users")
    String shell() default "/bin/bash";

    @AttributeDefinition(description = "How long a new user's runner may take to answer, in milliseconds")
    long readyTimeoutMs() default 60_000;

    @AttributeDefinition(
            description = "[memory]: the central embeddings service each user's mmry delegates to; empty: none")
    String embeddingsUrl() default "";

    @AttributeDefinition(description = "[memory]: its key by reference (file:/PATH or env:NAME); empty: none")
    String embeddingsKey() default "";

    @AttributeDefinition(description = "[memory]: the user's mmry; with {port}, each user runs their own")
    String mmryUrl() default "http://127.0.0.1:8081";

    @AttributeDefinition(description = "[memory]: with {port}, a user's mmry listens on this plus (uid - uid_min)")
    long mmryUserPortBase() default 48000;

    @AttributeDefinition(description = "[usermgr]: the lowest UID given to a platform user")
    long uidMin() default 2000;
}
