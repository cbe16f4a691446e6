package io.oqto.process.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which mechanism is chosen, and the commands and cgroup files each produces, on made-up hosts. */
class LimitEnforcersTest {

    @TempDir
    Path dir;

    static final Limits LIMITS = new Limits(256, 64, 50);

    private LimitEnforcers.Host host(long uid, Map<String, String> env, List<String> onPath) {
        return new LimitEnforcers.Host(
                uid,
                4242,
                env,
                dir.resolve("proc"),
                dir.resolve("cgroup"),
                name -> onPath.contains(name) ? Optional.of(Path.of("/usr/bin", name)) : Optional.empty());
    }

    private void proc(String cgroup, String mountinfo) throws IOException {
        Files.createDirectories(dir.resolve("proc"));
        Files.writeString(dir.resolve("proc/cgroup"), cgroup);
        Files.writeString(dir.resolve("proc/mountinfo"), mountinfo);
    }

    @Test
    void theUsersServiceManagerComesFirst() throws Exception {
        Files.createDirectories(dir.resolve("run/systemd"));
        Files.createFile(dir.resolve("run/systemd/private"));
        LimitEnforcer e = LimitEnforcers.detect(
                "auto",
                host(
                        1000,
                        Map.of("XDG_RUNTIME_DIR", dir.resolve("run").toString()),
                        List.of("systemd-run", "prlimit")));
        assertEquals("systemd-scope", e.mechanism());
        assertEquals(
                List.of(
                        "/usr/bin/systemd-run",
                        "--user",
                        "--scope",
                        "--quiet",
                        "--collect",
                        "--unit=oqto-4242-pi-1",
                        "--property=MemoryMax=268435456",
                        "--property=MemorySwapMax=0",
                        "--property=TasksMax=64",
                        "--property=CPUQuota=50%",
                        "--",
                        "pi",
                        "--mode",
                        "rpc"),
                e.apply("pi-1", LIMITS, List.of("pi", "--mode", "rpc")).command());
    }

    @Test
    void withoutManagerOrCgroupItIsRlimits() throws Exception {
        proc("0::/user.slice/user-1000.slice/session-1.scope\n", "");
        LimitEnforcer e = LimitEnforcers.detect("auto", host(1000, Map.of(), List.of("systemd-run", "prlimit")));
        assertEquals("rlimit", e.mechanism());
        assertTrue(e.detail().contains("CPU not enforced"), e.detail());
        assertEquals(
                List.of("/usr/bin/prlimit", "--data=268435456", "--nproc=64", "--", "x"),
                e.apply("x-1", LIMITS, List.of("x")).command());
    }

    @Test
    void aDelegatedCgroupV2IsUsedAndTheRunnerMovesIntoALeaf() throws Exception {
        Path own = Files.createDirectories(dir.resolve("cgroup/user.slice/oqto-runner@alice.service"));
        Files.writeString(dir.resolve("cgroup/cgroup.controllers"), "cpuset cpu io memory pids\n");
        Files.writeString(own.resolve("cgroup.controllers"), "cpu memory pids\n");
        Files.writeString(own.resolve("cgroup.procs"), "4242\n");
        Files.writeString(own.resolve("cgroup.subtree_control"), "");
        proc("0::/user.slice/oqto-runner@alice.service\n", "");
        LimitEnforcer e = LimitEnforcers.detect("cgroup", host(1000, Map.of(), List.of("prlimit")));
        assertEquals("cgroup-v2", e.mechanism());
        assertEquals("4242", Files.readString(own.resolve("runner/cgroup.procs")));
        assertEquals("+memory +pids +cpu", Files.readString(own.resolve("cgroup.subtree_control")));

        // A real cgroup directory comes with its files; a plain one here gets them written.
        LimitEnforcer.Applied applied = e.apply("pi-7", LIMITS, List.of("pi"));
        Path cg = own.resolve("oqto-4242-pi-7");
        assertEquals("268435456", Files.readString(cg.resolve("memory.max")));
        assertEquals("64", Files.readString(cg.resolve("pids.max")));
        assertEquals("50000 100000", Files.readString(cg.resolve("cpu.max")));
        assertEquals(
                List.of(
                        "/bin/sh",
                        "-c",
                        applied.command().get(2),
                        "oqto-cgroup",
                        "1",
                        cg.resolve("cgroup.procs").toString(),
                        "pi"),
                applied.command());
    }

    @Test
    void cgroupV1DirectoriesComeFromMembershipAndMounts() {
        List<String> membership = List.of("12:pids:/user.slice", "4:memory:/process_api/abc", "2:cpu,cpuacct:/");
        List<String> mounts = List.of(
                "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
                "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "39 31 0:36 /user.slice /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids");
        assertEquals(
                Optional.of(Path.of("/sys/fs/cgroup/memory/process_api/abc")),
                LimitEnforcers.v1Dir("memory", membership, mounts));
        assertEquals(
                Optional.of(Path.of("/sys/fs/cgroup/cpu,cpuacct")), LimitEnforcers.v1Dir("cpu", membership, mounts));
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/pids")), LimitEnforcers.v1Dir("pids", membership, mounts));
        assertEquals(Optional.empty(), LimitEnforcers.v1Dir("blkio", membership, mounts));
    }

    @Test
    void aNamedMechanismThatIsMissingIsAnErrorNotAFallback() throws Exception {
        proc("0::/\n", "");
        LimitEnforcers.Host bare = host(1000, Map.of(), List.of());
        assertEquals(
                "[processes] limits = \"systemd\": no user service manager or no systemd-run here",
                assertThrows(LimitEnforcers.Unavailable.class, () -> LimitEnforcers.detect("systemd", bare))
                        .getMessage());
        assertEquals(
                "[processes] limits = \"cgroup\": no writable cgroup with the memory, pids and cpu controllers",
                assertThrows(LimitEnforcers.Unavailable.class, () -> LimitEnforcers.detect("cgroup", bare))
                        .getMessage());
        assertEquals(
                "[processes] limits = \"rlimit\": prlimit not found",
                assertThrows(LimitEnforcers.Unavailable.class, () -> LimitEnforcers.detect("rlimit", bare))
                        .getMessage());
        assertEquals(
                "no way to enforce resource limits: no service manager, no writable cgroup, no prlimit",
                assertThrows(LimitEnforcers.Unavailable.class, () -> LimitEnforcers.detect("auto", bare))
                        .getMessage());
    }

    @Test
    void askedLimitsStayWithinTheCeiling() throws Exception {
        Limits ceiling = new Limits(2048, 512, 200);
        assertEquals(ceiling, Limits.parse(null, ceiling));
        assertEquals(new Limits(64, 512, 200), Limits.parse(Map.of("memory_mb", 64), ceiling));
        assertEquals(
                "\"limits.memory_mb\" must be a whole number from 16 to 2048 (the configured ceiling)",
                assertThrows(
                                io.oqto.runner.protocol.ProtocolException.class,
                                () -> Limits.parse(Map.of("memory_mb", 4096), ceiling))
                        .getMessage());
        assertEquals(
                "\"limits\" must be {\"memory_mb\": n, \"tasks\": n, \"cpu_percent\": n} (each optional)",
                assertThrows(
                                io.oqto.runner.protocol.ProtocolException.class,
                                () -> Limits.parse(Map.of("swap", 1), ceiling))
                        .getMessage());
    }
}
