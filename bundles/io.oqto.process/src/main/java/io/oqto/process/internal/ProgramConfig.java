package io.oqto.process.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [programs]} section of config.toml. */
@ObjectClassDefinition(name = "Oqto programs", description = "The [programs] section of config.toml")
@interface ProgramConfig {

    @AttributeDefinition(description = "The pi coding agent: a path, or a name looked up in searchPath")
    String pi() default "pi";

    @AttributeDefinition(description = "Arguments for pi after --mode rpc")
    String[] piArgs() default {};

    @AttributeDefinition(description = "The file server")
    String fileserver() default "oqto-files";

    @AttributeDefinition(description = "The web terminal")
    String ttyd() default "ttyd";

    @AttributeDefinition(description = "The shell ttyd runs")
    String[] ttydShell() default {"bash", "-i"};

    @AttributeDefinition(
            description = "Where names are looked up; empty: the runner's bin/, ~/.local/bin, ~/.bun/bin, "
                    + "/usr/local/bin, /usr/bin, /bin")
    String searchPath() default "";

    @AttributeDefinition(description = "How long a program may take to become ready, in ms")
    long readyTimeoutMs() default 20000;
}
