package io.oqto.hstry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.runner.spi.history.HistoryException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single-user mode: an installed hstry that does not answer is started by the connector as {@code hstry service run}
 * (here the double, behind a script named like the program), used once it serves, and stopped with the connector.
 */
class HstrySupervisorTest {

    @TempDir
    Path dir;

    @SuppressWarnings("ImmutableAnnotationChecker")
    record Config(String hstry, long hstryTimeoutMs) implements HstryConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return HstryConfig.class;
        }
    }

    /** A program that is hstry as far as the runner can tell: {@code <it> service run} serves hstry's API. */
    private Path hstryProgram(Path state) throws Exception {
        Path program = dir.resolve("bin/hstry");
        Files.createDirectories(program.getParent());
        Files.writeString(
                program,
                "#!/bin/sh\nXDG_STATE_HOME='" + state + "' exec '" + System.getProperty("java.home")
                        + "/bin/java' -cp '" + System.getProperty("java.class.path")
                        + "' io.oqto.testing.hstry.FakeHstry \"$@\"\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        return program;
    }

    @Test
    void anInstalledHstryThatIsNotRunningIsStartedUsedAndStoppedWithTheConnector() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path program = hstryProgram(state);
        HstrySupervisor supervisor = new HstrySupervisor(dir.resolve("log/hstry.log"));
        HstryHistoryComponent history = new HstryHistoryComponent(
                new Config(program.toString(), 5000), Map.of("XDG_STATE_HOME", state.toString()), supervisor);
        try {
            HistoryException first = assertThrows(HistoryException.class, () -> history.list(10, 0));
            assertTrue(first.retryable());
            Process started = supervisor.process();
            assertNotNull(started);
            assertEquals(
                    "hstry is not running: no service.sock or service.port found; hstry was not running: started "
                            + program + " service run (pid " + started.pid() + ")",
                    first.getMessage());
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(state.resolve("hstry/service.sock")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, history.list(10, 0).size(), "the started hstry answers");
            assertEquals(started, supervisor.process(), "started once");
        } finally {
            history.deactivate();
        }
        assertFalse(supervisor.process() != null, "forgotten");
        assertTrue(
                ProcessHandle.allProcesses()
                        .noneMatch(h -> h.info().commandLine().orElse("").contains(state.toString())),
                "the hstry it started is gone with it");
        assertTrue(Files.readString(dir.resolve("log/hstry.log")).contains("fake hstry serving on"));
    }

    @Test
    void aMissingProgramIsSaidAndOneThatExitsIsStartedAgainOnlyAfterTheBackoff() throws Exception {
        HstrySupervisor supervisor = new HstrySupervisor(dir.resolve("hstry.log"));
        assertEquals(
                "hstry is not installed ([history] hstry = \"" + dir.resolve("none") + "\" is not on PATH)",
                supervisor.startIfInstalled(dir.resolve("none").toString()));
        Path failing = dir.resolve("failing-hstry");
        Files.writeString(failing, "#!/bin/sh\nexit 3\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
        assertTrue(supervisor.startIfInstalled(failing.toString()).startsWith("hstry was not running: started "));
        Process p = supervisor.process();
        assertNotNull(p);
        assertEquals(3, p.waitFor());
        assertTrue(
                supervisor.startIfInstalled(failing.toString()).startsWith("hstry exited; it is started again in "),
                "not again at once");
        supervisor.stop();
    }
}
