package io.oqto.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.process.internal.limits.LimitEnforcer;
import io.oqto.process.internal.limits.LimitEnforcers;
import io.oqto.process.internal.limits.Limits;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real limits on real processes: a memory hog and a fork bomb are stopped and the runner (this JVM) carries
 * on. Needs root (cgroups; and to run the rlimit case as another user) and bubblewrap; the test command
 * runs as root and installs bubblewrap, so elsewhere these fail rather than pass vacuously.
 */
class ResourceLimitsTest {

    /**
     * A bounded bomb: at most 2^9 processes even if no limit held, so a failure cannot take the machine down.
     * Its top level executes tail without forking, so it stays up when forks start failing (a shell whose
     * fork fails exits, and with it, as the first process of the PID namespace, everything else).
     */
    static final String FORK_BOMB =
            "b(){ if [ $1 -gt 0 ]; then b $(($1-1)) & b $(($1-1)) & fi; sleep 60; }; b 8 & exec tail -f /dev/null";

    static final String MEMORY_HOG = "exec tail /dev/zero";

    @TempDir
    Path root;

    ProcessComponent table;

    @BeforeEach
    void setUp() throws Exception {
        assertEquals(0, Files.getAttribute(Path.of("/proc/self"), "unix:uid"), "these tests need root");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "these tests need bubblewrap");
        TestFixtures.WrappingSandbox supervisedOnly = new TestFixtures.WrappingSandbox(argv -> Stream.concat(
                        Stream.of("/usr/bin/bwrap", "--die-with-parent", "--unshare-pid", "--dev-bind", "/", "/", "--"),
                        argv.stream())
                .toList());
        table = new ProcessComponent(
                TestFixtures.workspaceAt(root),
                supervisedOnly,
                new TestProcessConfig("cgroup", 64, 32, 50),
                LimitEnforcers.Host.current());
    }

    @AfterEach
    void tearDown() throws Exception {
        table.deactivate();
    }

    private Frame call(String type, Object... kv) throws ProtocolException {
        return TestFixtures.call(table, "r", type, kv);
    }

    private Map<?, ?> status(String name) throws ProtocolException {
        return (Map<?, ?>) call("process_status", "name", name).fields().get("process");
    }

    private Map<?, ?> waitForExit(String name) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Map<?, ?> p = status(name);
            if (Boolean.FALSE.equals(p.get("running"))) {
                return p;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(name + " did not exit");
    }

    /** The cgroup directories (one per v1 hierarchy, or one) the process was put in, from its wrapper command. */
    private static List<Path> cgroupsOf(Map<?, ?> process) {
        List<Path> dirs = new ArrayList<>();
        for (Object arg : (List<?>) process.get("command")) {
            if (arg.toString().endsWith("/cgroup.procs")) {
                dirs.add(Path.of(arg.toString()).getParent());
            }
        }
        return dirs;
    }

    @Test
    void aMemoryHogIsKilledAtItsCgroupLimit() throws Exception {
        Map<?, ?> spawned =
                (Map<?, ?>) call("spawn_process", "name", "hog", "argv", List.of("/bin/sh", "-c", MEMORY_HOG))
                        .fields()
                        .get("process");
        assertTrue(
                ((Map<?, ?>) spawned.get("limits")).get("mechanism").toString().startsWith("cgroup-"),
                spawned.toString());
        assertEquals(64L, ((Number) ((Map<?, ?>) spawned.get("limits")).get("memory_mb")).longValue());
        List<Path> cgroups = cgroupsOf(spawned);
        assertFalse(cgroups.isEmpty(), spawned.toString());
        Map<?, ?> exited = waitForExit("hog");
        assertEquals(137, ((Number) exited.get("exit_code")).intValue(), "killed by the OOM killer (128 + SIGKILL)");
        assertCgroupsRemoved(cgroups);
        assertTheRunnerCarriesOn();
    }

    @Test
    void aForkBombStaysWithinItsTaskLimitAndIsStoppedWhole() throws Exception {
        Map<?, ?> spawned =
                (Map<?, ?>) call("spawn_process", "name", "bomb", "argv", List.of("/bin/sh", "-c", FORK_BOMB))
                        .fields()
                        .get("process");
        List<Path> cgroups = cgroupsOf(spawned);
        Path pids = cgroups.stream()
                .filter(d -> Files.exists(d.resolve("pids.max")))
                .findFirst()
                .orElseThrow();
        long pid = ((Number) spawned.get("pid")).longValue();
        // Let it push against the limit for a while: it never gets past 32 tasks.
        long until = System.nanoTime() + 2_000_000_000L;
        long most = 0;
        while (System.nanoTime() < until) {
            assertTrue(
                    Files.exists(pids),
                    "the bomb ended early: "
                            + call("read_output", "name", "bomb").fields() + status("bomb"));
            most = Math.max(
                    most,
                    Long.parseLong(
                            Files.readString(pids.resolve("pids.current")).trim()));
            Thread.sleep(10);
        }
        assertTrue(most >= 16 && most <= 32, "tasks seen at most: " + most);
        assertTrue(Files.readString(pids.resolve("pids.events")).matches("(?s)max [1-9].*"), "forks were refused");
        List<ProcessHandle> tree =
                ProcessHandle.of(pid).orElseThrow().descendants().toList();
        call("stop_process", "name", "bomb", "grace_ms", 500);
        for (ProcessHandle h : tree) {
            assertTrue(h.onExit().get(10, TimeUnit.SECONDS) != null, "no process of the bomb survives: " + h.pid());
        }
        assertCgroupsRemoved(cgroups);
        assertTheRunnerCarriesOn();
    }

    @Test
    void rlimitsStopAMemoryHogAndAForkBombOfAnUnprivilegedUser() throws Exception {
        LimitEnforcer rlimits = LimitEnforcers.detect("rlimit", LimitEnforcers.Host.current());
        Limits limits = new Limits(64, 24, 100);
        // RLIMIT_NPROC does not bind root: run as nobody, the way a runner runs as its user.
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        List<String> hog = new ArrayList<>(asNobody);
        hog.addAll(rlimits.apply("hog", limits, List.of("/bin/sh", "-c", MEMORY_HOG))
                .command());
        Process p = new ProcessBuilder(hog).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(
                "tail: memory exhausted",
                new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim());
        assertEquals(1, p.exitValue());

        List<String> bomb = new ArrayList<>(asNobody);
        bomb.addAll(rlimits.apply(
                        "bomb",
                        limits,
                        List.of(
                                "/usr/bin/bwrap",
                                "--die-with-parent",
                                "--unshare-pid",
                                "--dev-bind",
                                "/",
                                "/",
                                "--",
                                "/bin/sh",
                                "-c",
                                FORK_BOMB))
                .command());
        Process b = new ProcessBuilder(bomb)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long until = System.nanoTime() + 2_000_000_000L;
        long most = 0;
        while (System.nanoTime() < until) {
            most = Math.max(most, b.descendants().count() + 1);
            Thread.sleep(10);
        }
        assertTrue(most <= 24, "processes seen at most: " + most);
        List<ProcessHandle> tree = b.descendants().toList();
        b.destroyForcibly();
        for (ProcessHandle h : tree) {
            assertTrue(
                    h.onExit().get(10, TimeUnit.SECONDS) != null,
                    "the PID namespace ends with its first process: " + h.pid());
        }
    }

    private static void assertCgroupsRemoved(List<Path> cgroups) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (cgroups.stream().anyMatch(Files::exists) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(cgroups.stream().noneMatch(Files::exists), "cgroups removed: " + cgroups);
    }

    private void assertTheRunnerCarriesOn() throws Exception {
        call("spawn_process", "name", "after", "argv", List.of("/bin/sh", "-c", "echo still here"));
        assertEquals(0, ((Number) waitForExit("after").get("exit_code")).intValue());
        Frame out = call("read_output", "name", "after");
        assertEquals("still here", ((Map<?, ?>) ((List<?>) out.fields().get("lines")).get(0)).get("text"));
    }
}
