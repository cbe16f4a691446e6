package io.oqto.process.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [processes]} section of config.toml: how spawned processes are limited. */
@ObjectClassDefinition(name = "Oqto processes", description = "The [processes] section of config.toml")
@interface ProcessConfig {

    @AttributeDefinition(description = "auto, systemd, cgroup or rlimit")
    String limits() default "auto";

    @AttributeDefinition(description = "Memory per process in MiB: default and ceiling")
    long memoryMb() default 2048;

    @AttributeDefinition(description = "Tasks (processes and threads) per process: default and ceiling")
    long tasks() default 512;

    @AttributeDefinition(description = "CPU per process in percent of one core: default and ceiling")
    long cpuPercent() default 200;

    @AttributeDefinition(description = "Output lines kept per process")
    int outputLines() default 10000;
}
