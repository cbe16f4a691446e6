package io.oqto.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [audit]} section of config.toml. */
@ObjectClassDefinition(name = "Oqto audit log", description = "The [audit] section of config.toml")
@interface AuditConfig {

    @AttributeDefinition(description = "The JSON-lines file; empty: audit.log in the control plane's state directory")
    String file() default "";

    @AttributeDefinition(description = "[server] state_dir: where the file goes unless [audit] file says")
    String stateDir() default "";

    @AttributeDefinition(description = "Size in MiB at which the file is rotated")
    long maxSizeMb() default 10;

    @AttributeDefinition(description = "Rotated files kept (audit.log.1 … .N)")
    long keep() default 5;

    @AttributeDefinition(description = "Also send each line to the systemd journal when its socket is there")
    boolean journal() default true;

    @AttributeDefinition(description = "The journal's native socket")
    String journalSocket() default "/run/systemd/journal/socket";
}
