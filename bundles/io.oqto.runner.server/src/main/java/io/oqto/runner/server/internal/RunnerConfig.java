package io.oqto.runner.server.internal;

import io.oqto.runner.protocol.Protocol;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [runner]} section of config.toml. */
@ObjectClassDefinition(name = "Oqto runner", description = "The [runner] section of config.toml")
@interface RunnerConfig {

    @AttributeDefinition(description = "Socket path; empty means $XDG_RUNTIME_DIR/oqto-runner.sock")
    String socket() default "";

    @AttributeDefinition(description = "Linux user of the control plane; gets access to the socket (empty: none)")
    String controlPlaneUser() default "";

    @AttributeDefinition(description = "Longest accepted protocol line in bytes")
    int maxFrameBytes() default Protocol.DEFAULT_MAX_FRAME_BYTES;

    @AttributeDefinition(description = "Concurrent client connections")
    int maxConnections() default 64;

    @AttributeDefinition(description = "Requests served at once over all connections")
    int maxInFlight() default 256;

    @AttributeDefinition(
            description =
                    "A socket-activated runner exits after this many seconds without requests when nothing keeps it"
                            + " (0: never)")
    int idleExitSeconds() default 300;
}
