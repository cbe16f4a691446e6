package io.oqto.eavs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The keys of {@code [server]}, {@code [routing]} and {@code [usermgr]} the per-user mode needs. */
@ObjectClassDefinition(name = "Oqto eavs connector: users", description = "[server] state_dir, [routing], [usermgr]")
@interface UserPlaces {

    @AttributeDefinition(description = "State directory; empty: /var/lib/oqto")
    String stateDir() default "";

    @AttributeDefinition(description = "Prefix of platform users' Linux names")
    String linuxUserPrefix() default "oqto_";

    @AttributeDefinition(description = "Lowest UID given to a platform user")
    long uidMin() default 2000;
}
