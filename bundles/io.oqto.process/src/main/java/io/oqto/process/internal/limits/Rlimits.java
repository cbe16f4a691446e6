package io.oqto.process.internal.limits;

import java.util.ArrayList;
import java.util.List;

/**
 * The fallback when no cgroup can be had: {@code prlimit} sets RLIMIT_DATA (heap and private mappings,
 * unlike RLIMIT_AS it does not break runtimes that reserve large address ranges) and RLIMIT_NPROC. Weaker
 * than a cgroup, and said so in {@link #detail()}: RLIMIT_NPROC counts all of the user's tasks, root is
 * exempt from it, and there is no CPU rate limit.
 */
final class Rlimits implements LimitEnforcer {

    private final String prlimit;

    Rlimits(String prlimit) {
        this.prlimit = prlimit;
    }

    @Override
    public String mechanism() {
        return "rlimit";
    }

    @Override
    public String detail() {
        return "rlimits: memory as RLIMIT_DATA per process, tasks as RLIMIT_NPROC (counts all of the user's tasks); "
                + "CPU not enforced";
    }

    @Override
    public Applied apply(String name, Limits limits, List<String> command) {
        List<String> c =
                new ArrayList<>(List.of(prlimit, "--data=" + limits.memoryBytes(), "--nproc=" + limits.tasks(), "--"));
        c.addAll(command);
        return new Applied(c, () -> {});
    }
}
