package io.oqto.process.internal;

import io.oqto.process.internal.limits.LimitEnforcer;
import io.oqto.process.internal.limits.Limits;
import java.util.List;

/**
 * What a spawn asked for, kept for restarts: the caller's {@code argv}, the {@code command} the sandbox
 * (or supervision) made of it, the limits with the mechanism that enforces them, and who reads stdout
 * (null: the output buffer).
 */
record Spec(String name, List<String> argv, List<String> command, boolean sandboxed, RestartPolicy restart,
        Limits limits, LimitEnforcer enforcer, java.util.function.Consumer<String> stdout) {

    Spec {
        argv = List.copyOf(argv);
        command = List.copyOf(command);
    }
}
