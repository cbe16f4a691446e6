package io.oqto.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.process.internal.limits.LimitEnforcers;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.WorkspacePaths;
import io.oqto.runner.spi.sandbox.SandboxService;
import io.oqto.runner.spi.sandbox.SandboxUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTableTest {

    @TempDir
    Path root;

    ProcessComponent table;
    final List<List<String>> sandboxed = new ArrayList<>();
    String sandboxFailure;
    /** A program the sandbox double puts in front of every command, as bwrap would be; null for none. */
    Path wrapper;

    private WorkspacePaths workspace() {
        return TestFixtures.workspaceAt(root);
    }

    @BeforeEach
    void setUp() {
        table = new ProcessComponent(
                workspace(), sandboxService(), TestProcessConfig.rlimits(), LimitEnforcers.Host.current());
    }

    private SandboxService sandboxService() {
        return new SandboxService() {
            @Override
            public List<String> command(
                    Path ws, List<String> argv, List<Path> readOnly, List<Path> writable, String profile) {
                if (sandboxFailure != null) {
                    throw new SandboxUnavailableException(sandboxFailure);
                }
                sandboxed.add(argv);
                return wrapper == null
                        ? argv
                        : Stream.concat(Stream.of(wrapper.toString()), argv.stream())
                                .toList();
            }

            @Override
            public List<String> supervised(List<String> argv) {
                return argv;
            }

            @Override
            public String describe() {
                return "test";
            }
        };
    }

    @AfterEach
    void tearDown() throws Exception {
        table.deactivate();
    }

    private Frame call(String type, Object... kv) throws ProtocolException {
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        return table.handle(new Frame("r", type, f));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> lines(Frame output) {
        return (List<Map<String, Object>>) output.fields().get("lines");
    }

    private Frame waitForExit(String name) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Frame out = call("read_output", "name", name);
            if (Boolean.FALSE.equals(out.fields().get("running"))) {
                return out;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(name + " did not exit");
    }

    @Test
    void spawnsInTheWorkspaceThroughTheSandboxAndNumbersItsOutput() throws Exception {
        Files.createDirectory(root.resolve("proj"));
        Frame spawned = call(
                "spawn_process",
                "name",
                "hello",
                "argv",
                List.of("/bin/sh", "-c", "pwd; echo oops >&2; echo $GREETING"),
                "cwd",
                "proj",
                "env",
                Map.of("GREETING", "hi"));
        assertEquals("process_spawned", spawned.type());
        assertEquals(
                List.of(EnvironmentHandoff.behindLoader(
                        List.of("/bin/sh", "-c", "pwd; echo oops >&2; echo $GREETING"))),
                sandboxed);
        Frame out = waitForExit("hello");
        Frame all = call("read_output", "name", "hello");
        List<String> texts = lines(all).stream()
                .map(l -> l.get("stream") + ":" + l.get("text"))
                .sorted()
                .toList();
        assertEquals(List.of("stderr:oops", "stdout:" + root.resolve("proj"), "stdout:hi"), texts);
        assertEquals(0, ((Number) out.fields().get("exit_code")).intValue());
        Frame later = call("read_output", "name", "hello", "after", 2);
        assertEquals(1, lines(later).size(), "a reader continues after the last sequence number it saw");
    }

    @Test
    void refusedVariablesAreRefusedByNameAndNothingStarts() throws Exception {
        String rule =
                " is not allowed: it changes how programs are loaded or shells start (refused: LD_*, BASH_FUNC_*, "
                        + "OQTO_*, BASHOPTS, BASH_ENV, ENV, GCONV_PATH, GETCONF_DIR, GLIBC_TUNABLES, HOSTALIASES, IFS, LOCALDOMAIN, "
                        + "LOCPATH, MALLOC_TRACE, NIS_PATH, NLSPATH, NOTIFY_SOCKET, PS4, RESOLV_HOST_CONF, RES_OPTIONS, SHELLOPTS)";
        for (String name : List.of(
                "LD_PRELOAD",
                "LD_LIBRARY_PATH",
                "LD_AUDIT",
                "LD_anything",
                "BASH_ENV",
                "ENV",
                "BASH_FUNC_x",
                "SHELLOPTS",
                "BASHOPTS",
                "PS4",
                "IFS",
                "GCONV_PATH",
                "GLIBC_TUNABLES",
                "HOSTALIASES",
                "LOCPATH",
                "NLSPATH",
                "RES_OPTIONS",
                "LOCALDOMAIN",
                "MALLOC_TRACE",
                "NOTIFY_SOCKET",
                "OQTO_MODE")) {
            assertEquals(
                    "invalid_request: \"env\": " + name + rule,
                    err("spawn_process", "name", "x", "argv", List.of("/bin/true"), "env", Map.of(name, "/tmp/x")),
                    name);
        }
        assertEquals(List.of(), sandboxed, "nothing was asked of the sandbox");
        assertEquals(List.of(), call("list_processes").fields().get("processes"));
    }

    @Test
    void variablesReachOnlyTheProgramNeverTheWrappers() throws Exception {
        // In the sandbox's place, like bwrap: a wrapper that records the environment it was started with.
        Path seen = root.resolve("wrapper.env");
        wrapper = Files.writeString(root.resolve("wrapper"), "#!/bin/sh\nenv > " + seen + "\nexec \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        Path callers = Files.createDirectory(root.resolve("bin"));
        call(
                "spawn_process",
                "name",
                "env",
                "argv",
                List.of("/bin/sh", "-c", "echo \"$GREETING|$QUOTE|$PATH\""),
                "env",
                Map.of("GREETING", "hi there", "QUOTE", "it's $HOME `x`", "PATH", callers + ":/usr/bin:/bin"));
        Frame out = waitForExit("env");
        assertEquals(
                List.of("stdout:hi there|it's $HOME `x`|" + callers + ":/usr/bin:/bin"),
                lines(call("read_output", "name", "env")).stream()
                        .map(l -> l.get("stream") + ":" + l.get("text"))
                        .toList());
        assertEquals(0, ((Number) out.fields().get("exit_code")).intValue());
        List<String> wrapperEnv = Files.readAllLines(seen);
        assertTrue(wrapperEnv.contains("PATH=" + EnvironmentHandoff.WRAPPER_PATH), wrapperEnv.toString());
        Set<String> names = new TreeSet<>(
                wrapperEnv.stream().map(l -> l.substring(0, l.indexOf('='))).toList());
        names.removeAll(List.of("PWD", "OLDPWD", "SHLVL", "_")); // set by the shells of the chain themselves
        Set<String> allowed = new TreeSet<>(EnvironmentHandoff.WRAPPER_KEEPS);
        allowed.add("PATH");
        assertTrue(
                allowed.containsAll(names), "the wrapper saw only the fixed environment, not the caller's: " + names);
        Path handoff = handoffDirectory();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(handoff)));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (entries(handoff) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, entries(handoff), "the hand-over file is deleted when its process has exited");
    }

    @Test
    void handOverDirectoriesOfDeadRunnersAreRemovedAndOursGoesOnDeactivate() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        // No process has this pid (above any pid_max): a runner that was killed.
        Path stale = Files.createDirectories(tmp.resolve("oqto-env-999999999-x"));
        Files.writeString(stale.resolve("spawn-1"), "export SECRET='left behind'\n");
        table.deactivate();
        table = new ProcessComponent(
                workspace(), sandboxService(), TestProcessConfig.rlimits(), LimitEnforcers.Host.current());
        assertFalse(Files.exists(stale));
        Path ours = handoffDirectory();
        table.deactivate();
        assertFalse(Files.exists(ours));
        table = new ProcessComponent(
                workspace(), sandboxService(), TestProcessConfig.rlimits(), LimitEnforcers.Host.current());
    }

    /** This test JVM's hand-over directory of the current table (the newest, if earlier tables left one meanwhile). */
    private static Path handoffDirectory() throws IOException {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName()
                            .toString()
                            .startsWith("oqto-env-" + ProcessHandle.current().pid() + "-"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseThrow();
        }
    }

    private static long entries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void stopEscalatesToSigkillForAProgramThatIgnoresSigterm() throws Exception {
        call(
                "spawn_process",
                "name",
                "stubborn",
                "argv",
                List.of("/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lines(call("read_output", "name", "stubborn")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long pid = ((Number) ((Map<?, ?>) call("process_status", "name", "stubborn")
                                .fields()
                                .get("process"))
                        .get("pid"))
                .longValue();
        List<ProcessHandle> children =
                ProcessHandle.of(pid).orElseThrow().descendants().toList();
        Frame stopped = call("stop_process", "name", "stubborn", "grace_ms", 300);
        assertEquals(true, stopped.fields().get("killed"));
        assertEquals(137, ((Number) stopped.fields().get("exit_code")).intValue(), "128 + SIGKILL");
        assertTrue(
                ProcessHandle.of(pid).isEmpty() || !ProcessHandle.of(pid).get().isAlive());
        for (ProcessHandle c : children) {
            assertTrue(c.onExit().get(5, TimeUnit.SECONDS) != null, "no orphan survives: " + c.pid());
        }
    }

    @Test
    void aCooperativeProgramEndsOnSigterm() throws Exception {
        call("spawn_process", "name", "nice", "argv", List.of("/bin/sleep", "60"));
        Frame stopped = call("stop_process", "name", "nice", "grace_ms", 5000);
        assertEquals(false, stopped.fields().get("killed"));
        assertEquals(143, ((Number) stopped.fields().get("exit_code")).intValue(), "128 + SIGTERM");
    }

    @Test
    void stdinSignalsListAndStatus() throws Exception {
        call("spawn_process", "name", "cat", "argv", List.of("/bin/cat"), "sandboxed", false);
        assertEquals(List.of(), sandboxed, "sandboxed: false skips the sandbox");
        assertEquals(4L, call("write_stdin", "name", "cat", "data", "abc\n").number("bytes_written", -1));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lines(call("read_output", "name", "cat")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("abc", lines(call("read_output", "name", "cat")).get(0).get("text"));
        List<?> listed = (List<?>) call("list_processes").fields().get("processes");
        assertEquals(1, listed.size());
        call("signal_process", "name", "cat", "signal", "KILL");
        Frame out = waitForExit("cat");
        assertEquals(137, ((Number) out.fields().get("exit_code")).intValue());
    }

    @Test
    void badRequestsGetClearErrorsAndStartNothing() throws Exception {
        assertEquals(
                "invalid_request: \"argv\" must name a program", err("spawn_process", "name", "x", "argv", List.of()));
        assertEquals(
                "invalid_request: \"argv\" must be an array of strings",
                err("spawn_process", "name", "x", "argv", List.of(1)));
        assertEquals(
                "invalid_request: \"name\" must be 1-64 letters, digits, . _ - (starting with a letter or digit)",
                err("spawn_process", "name", "../x", "argv", List.of("/bin/true")));
        assertEquals(
                "path_not_allowed: path ../.. is not allowed: it contains ..",
                err("spawn_process", "name", "x", "argv", List.of("/bin/true"), "cwd", "../.."));
        assertEquals(
                "invalid_request: \"env\": A=B is not a valid variable name with a string value",
                err("spawn_process", "name", "x", "argv", List.of("/bin/true"), "env", Map.of("A=B", "c")));
        assertEquals(
                "spawn_failed: program \"/nonexistent/prog\" not found or not executable (looked in: /nonexistent/prog)",
                err("spawn_process", "name", "x", "argv", List.of("/nonexistent/prog")));
        assertEquals(
                "spawn_failed: program \"no-such-prog\" not found or not executable (looked in: /opt/a, /opt/b)",
                err(
                        "spawn_process",
                        "name",
                        "x",
                        "argv",
                        List.of("no-such-prog"),
                        "env",
                        Map.of("PATH", "/opt/a:/opt/b")));
        sandboxFailure = "the sandbox policy requires bubblewrap, and bwrap is not installed";
        assertEquals(
                "sandbox_error: not spawned: the sandbox policy requires bubblewrap, and bwrap is not installed",
                err("spawn_process", "name", "x", "argv", List.of("/bin/true")));
        assertEquals("process_not_found: no process named nope", err("stop_process", "name", "nope"));
        assertEquals(
                "invalid_request: \"profile\" needs \"sandboxed\": true",
                err(
                        "spawn_process",
                        "name",
                        "x",
                        "argv",
                        List.of("/bin/true"),
                        "sandboxed",
                        false,
                        "profile",
                        "strict"));
        assertEquals(
                "invalid_request: \"profile\" must be the name of a built-in sandbox profile",
                err("spawn_process", "name", "x", "argv", List.of("/bin/true"), "profile", 3));
        sandboxFailure = null;
        call("spawn_process", "name", "dup", "argv", List.of("/bin/sleep", "30"));
        assertEquals(
                "process_exists: a process named dup is running",
                err("spawn_process", "name", "dup", "argv", List.of("/bin/true")));
        assertTrue(err("signal_process", "name", "dup", "signal", "SEGV")
                .startsWith("invalid_request: \"signal\" must be one of"));
        assertEquals(1, ((List<?>) call("list_processes").fields().get("processes")).size());
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private String err(String type, Object... kv) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> call(type, kv));
        return e.code().wire() + ": " + e.getMessage();
    }

    @Test
    void onFailureRestartsWithBackoffUpToTheLimit() throws Exception {
        call(
                "spawn_process",
                "name",
                "flaky",
                "argv",
                List.of("/bin/sh", "-c", "echo run; exit 3"),
                "restart",
                Map.of("policy", "on-failure", "max", 2, "backoff_ms", 50));
        long deadline = System.nanoTime() + 15_000_000_000L;
        Map<?, ?> status;
        do {
            Thread.sleep(20);
            status =
                    (Map<?, ?>) call("process_status", "name", "flaky").fields().get("process");
        } while ((((Number) status.get("restarts")).intValue() < 2 || Boolean.TRUE.equals(status.get("running")))
                && System.nanoTime() < deadline);
        assertEquals(2, ((Number) status.get("restarts")).intValue());
        assertEquals(false, status.get("running"));
        assertEquals(3, ((Number) status.get("exit_code")).intValue());
        List<String> expected = List.of(
                "run",
                "[oqto] exited with 3; restarting in 50 ms",
                "run",
                "[oqto] exited with 3; restarting in 100 ms",
                "run",
                "[oqto] exited with 3; no restarts left");
        long until = System.nanoTime() + 10_000_000_000L;
        List<String> texts;
        do {
            texts = lines(call("read_output", "name", "flaky")).stream()
                    .map(l -> (String) l.get("text"))
                    .toList();
        } while (!texts.equals(expected) && System.nanoTime() < until && sleep(20));
        assertEquals(expected, texts);
    }

    @Test
    void aStopDuringBackoffPreventsTheRestartAndSuccessIsNotRestarted() throws Exception {
        call(
                "spawn_process",
                "name",
                "ok",
                "argv",
                List.of("/bin/true"),
                "restart",
                Map.of("policy", "on-failure", "max", 5, "backoff_ms", 50));
        call(
                "spawn_process",
                "name",
                "failing",
                "argv",
                List.of("/bin/false"),
                "restart",
                Map.of("policy", "on-failure", "max", 5, "backoff_ms", 500));
        waitForExit("failing");
        call("stop_process", "name", "failing", "grace_ms", 100);
        long until = System.nanoTime() + 10_000_000_000L;
        while (table.table().skippedRestarts() == 0 && System.nanoTime() < until) {
            sleep(20);
        }
        assertEquals(1, table.table().skippedRestarts(), "the restart that was due found the process stopped");
        waitForExit("ok");
        assertEquals(
                0,
                ((Number) ((Map<?, ?>) call("process_status", "name", "ok")
                                        .fields()
                                        .get("process"))
                                .get("restarts"))
                        .intValue());
        assertEquals(
                0,
                ((Number) ((Map<?, ?>) call("process_status", "name", "failing")
                                        .fields()
                                        .get("process"))
                                .get("restarts"))
                        .intValue());
        assertEquals(
                "invalid_request: \"restart.policy\" must be \"never\" or \"on-failure\"",
                err("spawn_process", "name", "x", "argv", List.of("/bin/true"), "restart", Map.of("policy", "always")));
        assertEquals(
                "invalid_request: \"restart.max\" must be 1-100 and \"restart.backoff_ms\" 10-60000",
                err(
                        "spawn_process",
                        "name",
                        "x",
                        "argv",
                        List.of("/bin/true"),
                        "restart",
                        Map.of("policy", "on-failure", "max", 0)));
    }

    @Test
    void outputBufferIsBoundedAndReportsWhatWasDropped() {
        OutputBuffer b = new OutputBuffer(3);
        for (int i = 1; i <= 5; i++) {
            b.add("stdout", "l" + i);
        }
        io.oqto.runner.spi.SequencedBuffer.Slice<OutputBuffer.Line> s = b.after(0, 100);
        assertEquals(
                List.of(3L, 4L, 5L),
                s.items().stream().map(OutputBuffer.Line::seq).toList());
        assertEquals(2, s.missed());
        assertEquals(5, s.next());
        assertEquals(0, b.after(5, 100).items().size());
        assertEquals(5, b.after(5, 100).next());
        assertEquals(List.of("l4", "l5"), b.tail(2));
        assertEquals(List.of("l3", "l4", "l5"), b.tail(10), "only what is still kept");
        b.add("stderr", "x".repeat(OutputBuffer.MAX_LINE_CHARS + 5));
        assertEquals("x".repeat(OutputBuffer.MAX_LINE_CHARS) + "…", b.tail(1).get(0));
    }
}
