package io.oqto.process.internal.limits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cgroup per process, in a part of the cgroup tree the runner may write: under the runner's own cgroup
 * (version 2, delegated to it) or under its cgroups of the memory, pids and cpu hierarchies (version 1).
 * The process enters its cgroup before it executes anything: a small shell writes its own pid into the
 * cgroups and then executes the command. When the process has exited, whatever is left in the cgroup is
 * killed and the cgroup removed.
 */
final class Cgroups implements LimitEnforcer {

    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
    /** Writes its pid into each file named by the first n arguments, then becomes the command. */
    private static final String ENTER = "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\" || exit 125; shift; "
            + "n=$((n-1)); done; exec \"$@\"";

    private final boolean v2;
    /** v2: the parent of all process cgroups; v1: the parent per controller (memory, pids, cpu). */
    private final Map<String, Path> parents;
    /** {@code oqto-<runner pid>-}: names this runner's cgroups apart from another runner's. */
    private final String prefix;

    private Cgroups(boolean v2, Map<String, Path> parents, String prefix) {
        this.v2 = v2;
        this.parents = parents;
        this.prefix = prefix;
    }

    static Cgroups v2(Path parent, String prefix) {
        return new Cgroups(true, Map.of("unified", parent), prefix);
    }

    static Cgroups v1(Path memory, Path pids, Path cpu, String prefix) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("memory", memory);
        m.put("pids", pids);
        m.put("cpu", cpu);
        return new Cgroups(false, m, prefix);
    }

    @Override
    public String mechanism() {
        return v2 ? "cgroup-v2" : "cgroup-v1";
    }

    @Override
    public String detail() {
        return "a cgroup per process under " + parents.values().iterator().next()
                + (v2 ? "" : " (and its pids and cpu twins)") + ": memory, tasks and CPU enforced";
    }

    @Override
    public Applied apply(String name, Limits limits, List<String> command) throws IOException {
        List<Path> dirs = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> e : parents.entrySet()) {
                Path dir = e.getValue().resolve(prefix + name);
                Files.createDirectory(dir);
                dirs.add(dir);
                configure(e.getKey(), dir, limits);
            }
        } catch (IOException e) {
            dirs.forEach(Cgroups::remove);
            throw new IOException("cannot set up cgroup " + name + ": " + e.getMessage(), e);
        }
        List<String> c = new ArrayList<>(List.of("/bin/sh", "-c", ENTER, "oqto-cgroup", Integer.toString(dirs.size())));
        dirs.forEach(d -> c.add(d.resolve("cgroup.procs").toString()));
        c.addAll(command);
        return new Applied(c, () -> dirs.forEach(Cgroups::remove));
    }

    private void configure(String controller, Path dir, Limits limits) throws IOException {
        if (v2) {
            write(dir.resolve("memory.max"), limits.memoryBytes());
            writeIfPresent(dir.resolve("memory.swap.max"), "0");
            write(dir.resolve("pids.max"), limits.tasks());
            write(dir.resolve("cpu.max"), limits.cpuPercent() * 1000 + " 100000");
            return;
        }
        switch (controller) {
            case "memory" -> {
                write(dir.resolve("memory.limit_in_bytes"), limits.memoryBytes());
                // memsw is the memory+swap ceiling; absent when swap accounting is off.
                writeIfPresent(dir.resolve("memory.memsw.limit_in_bytes"), Long.toString(limits.memoryBytes()));
            }
            case "pids" -> write(dir.resolve("pids.max"), limits.tasks());
            case "cpu" -> {
                write(dir.resolve("cpu.cfs_period_us"), 100_000);
                write(dir.resolve("cpu.cfs_quota_us"), limits.cpuPercent() * 1000);
            }
            default -> throw new IllegalStateException(controller);
        }
    }

    /** Kills what is left in the cgroup (a bounded number of rounds), then removes it. */
    private static void remove(Path dir) {
        Path kill = dir.resolve("cgroup.kill");
        try {
            if (Files.exists(kill)) {
                Files.writeString(kill, "1");
            }
            for (int round = 0; round < 50; round++) {
                List<String> pids = Files.readAllLines(dir.resolve("cgroup.procs"));
                if (pids.isEmpty()) {
                    break;
                }
                pids.forEach(p -> ProcessHandle.of(Long.parseLong(p.trim())).ifPresent(ProcessHandle::destroyForcibly));
                Thread.sleep(20);
            }
            for (int attempt = 0; attempt < 50; attempt++) {
                try {
                    Files.delete(dir);
                    return;
                } catch (NoSuchFileException gone) {
                    return;
                } catch (IOException busy) {
                    // EBUSY until the last task has been reaped.
                    Thread.sleep(20);
                }
            }
            LOG.warn("cgroup {} could not be removed", dir);
        } catch (IOException e) {
            LOG.warn("cgroup {}: {}", dir, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(Path file, long value) throws IOException {
        write(file, Long.toString(value));
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    private static void writeIfPresent(Path file, String value) {
        try {
            if (Files.exists(file)) {
                Files.writeString(file, value, StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            LOG.debug("{}: {}", file, e.getMessage());
        }
    }
}
