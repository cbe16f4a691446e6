package io.oqto.process.internal;

import java.lang.annotation.Annotation;

/** A {@code [processes]} section for tests. */
record TestProcessConfig(String limits, long memoryMb, long tasks, long cpuPercent) implements ProcessConfig {

    /** The defaults, with rlimits: available wherever prlimit is. */
    static TestProcessConfig rlimits() {
        return new TestProcessConfig("rlimit", 2048, 512, 200);
    }

    @Override
    public int outputLines() {
        return 10_000;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return ProcessConfig.class;
    }
}
