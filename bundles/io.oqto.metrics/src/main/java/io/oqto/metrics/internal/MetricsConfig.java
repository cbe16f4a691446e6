package io.oqto.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What the metrics read of {@code [memory]} and {@code [usermgr]}: where each user's mmry answers. */
@ObjectClassDefinition(
        name = "Oqto metrics",
        description = "[memory] store, mmry_url, mmry_user_port_base; [usermgr] uid_min")
@interface MetricsConfig {

    @AttributeDefinition(description = "Where memories are kept: mmry's reachability is reported when it is mmry")
    String store() default "embedded";

    @AttributeDefinition(
            description = "The user's mmry daemon; with {port}: each user's own, on the port their uid gives")
    String mmryUrl() default "http://127.0.0.1:8081";

    @AttributeDefinition(description = "With {port}: a user's mmry listens on this plus (uid - [usermgr] uid_min)")
    long mmryUserPortBase() default 48000;

    @AttributeDefinition(description = "[usermgr]: the lowest UID given to a platform user")
    long uidMin() default 2000;
}
