package io.oqto.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.runner.ErrorCode;
import io.oqto.process.internal.limits.LimitEnforcers;
import io.oqto.runner.spi.process.LaunchException;
import io.oqto.runner.spi.process.LaunchRequest;
import io.oqto.runner.spi.process.LaunchedProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher other bundles use: stdout to the caller, everything else as for any spawn. */
class LauncherTest {

    @TempDir
    Path root;

    ProcessComponent table;
    ProgramStarter launcher;

    @BeforeEach
    void setUp() {
        table = new ProcessComponent(
                TestFixtures.workspaceAt(root),
                TestFixtures.WrappingSandbox.none(),
                TestProcessConfig.rlimits(),
                LimitEnforcers.Host.current());
        launcher = new ProgramStarter(table, TestFixtures.workspaceAt(root), TestFixtures.programDefaults(), root);
    }

    @AfterEach
    void tearDown() throws Exception {
        table.deactivate();
    }

    @Test
    void stdoutLinesGoToTheCallerInOrderAndExitCompletesAfterTheLast() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        LaunchedProcess p = launcher.launch(new LaunchRequest(
                "agent-1",
                List.of("/bin/sh", "-c", "read x; echo \"got $x\"; seq 1 1000; echo oops >&2; exit 7"),
                ".",
                Map.of(),
                List.of(),
                lines::add));
        p.writeLine("hello");
        assertEquals(7, p.exited().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(1001, lines.size(), "every line delivered before exited() completes");
        assertEquals("got hello", lines.get(0));
        assertEquals("1000", lines.get(1000));
        assertEquals(List.of("oops"), p.stderrTail(5));
        assertTrue(
                ((List<?>) table.handle(new io.oqto.runner.protocol.Frame("l", "list_processes", Map.of()))
                                .fields()
                                .get("processes"))
                        .toString()
                        .contains("name=agent-1"),
                "listed like any process");
    }

    @Test
    void refusalsCarryTheProtocolCode() throws Exception {
        LaunchedProcess first = launcher.launch(
                new LaunchRequest("dup", List.of("/bin/sleep", "30"), ".", Map.of(), List.of(), l -> {}));
        LaunchException e = assertThrows(
                LaunchException.class,
                () -> launcher.launch(
                        new LaunchRequest("dup", List.of("/bin/true"), ".", Map.of(), List.of(), l -> {})));
        assertEquals(ErrorCode.PROCESS_EXISTS, e.code());
        LaunchException missing = assertThrows(
                LaunchException.class,
                () -> launcher.launch(new LaunchRequest("x", List.of("/nope/pi"), ".", Map.of(), List.of(), l -> {})));
        assertEquals(ErrorCode.SPAWN_FAILED, missing.code());
        first.stop(1000);
        assertEquals(143, first.exited().toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
}
