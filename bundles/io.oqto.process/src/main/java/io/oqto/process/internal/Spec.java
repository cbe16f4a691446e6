package io.oqto.process.internal;

import io.oqto.process.internal.limits.LimitEnforcer;
import io.oqto.process.internal.limits.Limits;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a spawn asked for, kept for restarts: the caller's {@code argv}, the {@code command} the sandbox
 * (or supervision) made of it, the program's environment (handed over privately, see
 * {@link EnvironmentHandoff}), the limits with the mechanism that enforces them, and who reads stdout
 * (null: the output buffer).
 */
record Spec(
        String name,
        List<String> argv,
        List<String> command,
        Map<String, String> env,
        boolean sandboxed,
        RestartPolicy restart,
        Limits limits,
        LimitEnforcer enforcer,
        @Nullable Consumer<String> stdout) {

    Spec {
        argv = List.copyOf(argv);
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    /** Without the environment's values, which may be secrets. */
    @Override
    public String toString() {
        return "Spec[" + name + " " + argv + " sandboxed=" + sandboxed + " env=" + new TreeSet<>(env.keySet()) + "]";
    }
}
