package io.oqto.workspace.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [workspace]} section of config.toml. */
@ObjectClassDefinition(name = "Oqto workspace", description = "The [workspace] section of config.toml")
@interface WorkspaceConfig {

    @AttributeDefinition(description = "Workspace root; empty: ~/oqto of the runner's user")
    String root() default "";

    @AttributeDefinition(description = "Largest file an upload may write, in MiB")
    long maxUploadMb() default 1024;
}
