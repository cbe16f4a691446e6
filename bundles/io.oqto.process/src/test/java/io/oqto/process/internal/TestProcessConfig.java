package io.oqto.process.internal;

import java.lang.annotation.Annotation;

/** A {@code [processes]} section for tests. */
final class TestProcessConfig implements ProcessConfig {

    private final String limits;
    private final long memoryMb;
    private final long tasks;
    private final long cpuPercent;

    TestProcessConfig(String limits, long memoryMb, long tasks, long cpuPercent) {
        this.limits = limits;
        this.memoryMb = memoryMb;
        this.tasks = tasks;
        this.cpuPercent = cpuPercent;
    }

    /** The defaults, with rlimits: available wherever prlimit is. */
    static TestProcessConfig rlimits() {
        return new TestProcessConfig("rlimit", 2048, 512, 200);
    }

    @Override
    public String limits() {
        return limits;
    }

    @Override
    public long memoryMb() {
        return memoryMb;
    }

    @Override
    public long tasks() {
        return tasks;
    }

    @Override
    public long cpuPercent() {
        return cpuPercent;
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
