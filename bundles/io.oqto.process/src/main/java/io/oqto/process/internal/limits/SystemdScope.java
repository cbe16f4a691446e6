package io.oqto.process.internal.limits;

import java.util.ArrayList;
import java.util.List;

/**
 * A transient systemd scope per process ({@code systemd-run --scope}): systemd creates the cgroup with
 * {@code MemoryMax}, {@code TasksMax} and {@code CPUQuota} and collects it when the process is gone.
 * {@code systemd-run --scope} executes the command itself, so the spawned pid is the program's.
 */
final class SystemdScope implements LimitEnforcer {

    private final String systemdRun;
    private final boolean userManager;
    private final String prefix;

    SystemdScope(String systemdRun, boolean userManager, String prefix) {
        this.systemdRun = systemdRun;
        this.userManager = userManager;
        this.prefix = prefix;
    }

    @Override
    public String mechanism() {
        return "systemd-scope";
    }

    @Override
    public String detail() {
        return "transient scopes of the " + (userManager ? "user's" : "system")
                + " service manager: memory, tasks and CPU enforced";
    }

    @Override
    public Applied apply(String name, Limits limits, List<String> command) {
        List<String> c = new ArrayList<>(List.of(systemdRun));
        if (userManager) {
            c.add("--user");
        }
        c.addAll(List.of(
                "--scope",
                "--quiet",
                "--collect",
                "--unit=" + prefix + name,
                "--property=MemoryMax=" + limits.memoryBytes(),
                "--property=MemorySwapMax=0",
                "--property=TasksMax=" + limits.tasks(),
                "--property=CPUQuota=" + limits.cpuPercent() + "%",
                "--"));
        c.addAll(command);
        return new Applied(c, () -> {});
    }
}
