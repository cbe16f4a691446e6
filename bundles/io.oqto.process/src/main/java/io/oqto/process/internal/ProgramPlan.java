package io.oqto.process.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** How to start one named program: command, environment, extra mounts, its socket (if any) and readiness. */
record ProgramPlan(
        List<String> argv,
        Path cwd,
        Map<String, String> env,
        List<Path> readOnly,
        List<Path> writable,
        @Nullable Path socket,
        Readiness readiness) {}
