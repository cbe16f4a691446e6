package io.oqto.process.internal.limits;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Chooses how limits are enforced on this host. {@code auto} takes the first that works: a systemd scope
 * (the runner's user manager, or the system manager for root), a cgroup the runner may write (version 2
 * delegated to it, or version 1 as root), rlimits through {@code prlimit}. Naming a mechanism in
 * {@code [processes] limits} that is not available is an error, not a silent fallback.
 */
public final class LimitEnforcers {

    private static final String PREFIX = "oqto-";
    public static final List<String> CHOICES = List.of("auto", "systemd", "cgroup", "rlimit");

    /** What detection looks at; {@link #current()} for the real host, tests build their own. */
    public record Host(
            long uid,
            long pid,
            Map<String, String> env,
            Path procSelf,
            Path cgroupRoot,
            Function<String, Optional<Path>> which) {

        public static Host current() {
            Map<String, String> env = System.getenv();
            return new Host(
                    currentUid(),
                    ProcessHandle.current().pid(),
                    env,
                    Path.of("/proc/self"),
                    Path.of("/sys/fs/cgroup"),
                    name -> onPath(env.getOrDefault("PATH", "/usr/bin:/bin"), name));
        }

        private static long currentUid() {
            try {
                return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | UnsupportedOperationException e) {
                return -1;
            }
        }
    }

    /** Thrown when the configured mechanism cannot be had; spawns are then refused with this message. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private LimitEnforcers() {}

    public static LimitEnforcer detect(String choice, Host host) throws Unavailable {
        return switch (choice) {
            case "systemd" ->
                systemd(host)
                        .orElseThrow(() -> new Unavailable("[processes] limits = \"systemd\": no "
                                + (host.uid() == 0 ? "system" : "user") + " service manager or no systemd-run here"));
            case "cgroup" ->
                cgroup(host)
                        .orElseThrow(() -> new Unavailable("[processes] limits = \"cgroup\": "
                                + "no writable cgroup with the memory, pids and cpu controllers"));
            case "rlimit" ->
                rlimit(host).orElseThrow(() -> new Unavailable("[processes] limits = \"rlimit\": prlimit not found"));
            case "auto" ->
                systemd(host)
                        .or(() -> cgroup(host))
                        .or(() -> rlimit(host))
                        .orElseThrow(
                                () -> new Unavailable(
                                        "no way to enforce resource limits: no service manager, no writable cgroup, no prlimit"));
            default ->
                throw new Unavailable("[processes] limits must be one of " + CHOICES + ", got \"" + choice + "\"");
        };
    }

    static Optional<LimitEnforcer> systemd(Host host) {
        boolean manager = host.uid() == 0
                ? Files.isDirectory(Path.of("/run/systemd/system"))
                : host.env().containsKey("XDG_RUNTIME_DIR")
                        && Files.exists(Path.of(host.env().get("XDG_RUNTIME_DIR"), "systemd", "private"));
        return manager
                ? host.which()
                        .apply("systemd-run")
                        .map(run -> new SystemdScope(run.toString(), host.uid() != 0, PREFIX + host.pid() + "-"))
                : Optional.empty();
    }

    static Optional<LimitEnforcer> rlimit(Host host) {
        return host.which().apply("prlimit").map(p -> new Rlimits(p.toString()));
    }

    static Optional<LimitEnforcer> cgroup(Host host) {
        try {
            List<String> membership = Files.readAllLines(host.procSelf().resolve("cgroup"));
            if (Files.exists(host.cgroupRoot().resolve("cgroup.controllers"))) {
                return cgroupV2(host, membership);
            }
            return cgroupV1(host, membership, Files.readAllLines(host.procSelf().resolve("mountinfo")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Version 2: the runner's own cgroup must be delegated to it. The runner moves itself into a leaf
     * ({@code runner}), since a cgroup that hands controllers to children may not hold processes itself.
     */
    private static Optional<LimitEnforcer> cgroupV2(Host host, List<String> membership) throws IOException {
        String path = membership.stream()
                .filter(l -> l.startsWith("0::"))
                .map(l -> l.substring(3))
                .findFirst()
                .orElse(null);
        if (path == null) {
            return Optional.empty();
        }
        Path own = host.cgroupRoot().resolve(path.substring(1));
        if (!Files.isWritable(own.resolve("cgroup.procs"))
                || !Files.isWritable(own.resolve("cgroup.subtree_control"))) {
            return Optional.empty();
        }
        List<String> available = List.of(
                Files.readString(own.resolve("cgroup.controllers")).trim().split("\\s+"));
        if (!available.containsAll(List.of("memory", "pids", "cpu"))) {
            return Optional.empty();
        }
        Path leaf = own.resolve("runner");
        if (!own.getFileName().toString().equals("runner")) {
            Files.createDirectories(leaf);
            Files.writeString(leaf.resolve("cgroup.procs"), Long.toString(host.pid()));
        }
        Files.writeString(own.resolve("cgroup.subtree_control"), "+memory +pids +cpu");
        removeStale(own);
        return Optional.of(Cgroups.v2(own, PREFIX + host.pid() + "-"));
    }

    /** Version 1: the runner's cgroups in the memory, pids and cpu hierarchies, each writable. */
    private static Optional<LimitEnforcer> cgroupV1(Host host, List<String> membership, List<String> mountinfo) {
        List<Path> dirs = new ArrayList<>();
        for (String controller : List.of("memory", "pids", "cpu")) {
            Optional<Path> dir = v1Dir(controller, membership, mountinfo);
            if (dir.isEmpty()
                    || !Files.isWritable(dir.get())
                    || !Files.isWritable(dir.get().resolve("cgroup.procs"))) {
                return Optional.empty();
            }
            dirs.add(dir.get());
            removeStale(dir.get());
        }
        return Optional.of(Cgroups.v1(dirs.get(0), dirs.get(1), dirs.get(2), PREFIX + host.pid() + "-"));
    }

    /** Where this process's cgroup of one v1 controller is: its mount point plus its path in that hierarchy. */
    static Optional<Path> v1Dir(String controller, List<String> membership, List<String> mountinfo) {
        String path = null;
        for (String line : membership) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
                path = f[2];
            }
        }
        for (String line : mountinfo) {
            String[] halves = line.split(" - ", 2);
            String[] pre = halves[0].split(" ", -1);
            String[] post = halves.length == 2 ? halves[1].split(" ", -1) : new String[0];
            if (path != null
                    && post.length >= 3
                    && post[0].equals("cgroup")
                    && List.of(post[2].split(",")).contains(controller)) {
                String root = pre[3];
                String rel = root.equals("/") ? path : path.startsWith(root) ? path.substring(root.length()) : null;
                if (rel != null) {
                    return Optional.of(Path.of(pre[4], rel.isEmpty() ? "." : rel.substring(rel.startsWith("/") ? 1 : 0))
                            .normalize());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Empty process cgroups a runner that is gone left behind (it was killed before it could remove them).
     * A living runner's are left alone: one it has just created is empty until its process enters.
     */
    private static void removeStale(Path parent) {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path p : old) {
                String[] parts = p.getFileName().toString().split("-", 3);
                if (parts.length < 3
                        || !parts[1].matches("\\d{1,10}")
                        || ProcessHandle.of(Long.parseLong(parts[1]))
                                .map(ProcessHandle::isAlive)
                                .orElse(false)) {
                    continue;
                }
                try {
                    Files.delete(p);
                } catch (IOException stillInUse) {
                    // not empty: leave it
                }
            }
        } catch (IOException e) {
            // nothing to tidy
        }
    }

    static Optional<Path> onPath(String path, String name) {
        for (String dir : path.split(":", -1)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
