package io.oqto.process.internal.limits;

import java.io.IOException;
import java.util.List;

/** One way of putting a process under {@link Limits}. Chosen once, by {@link LimitEnforcers#detect}. */
public interface LimitEnforcer {

    /** {@code systemd-scope}, {@code cgroup-v2}, {@code cgroup-v1} or {@code rlimit}: reported to clients. */
    String mechanism();

    /** What this mechanism enforces and what not, in a sentence. */
    String detail();

    /**
     * The command that runs {@code command} under {@code limits}, and what to undo once it has exited.
     *
     * @param name a unique, file-name-safe name for the process (used for the scope or cgroup)
     */
    Applied apply(String name, Limits limits, List<String> command) throws IOException;

    /** A wrapped command; {@code release} runs after the process has exited and may kill what is left. */
    record Applied(List<String> command, Runnable release) {}
}
