package io.oqto.routing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.unix.UnixAccounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerAutostartTest {

    @TempDir
    Path dir;

    private FakeRunner runner;

    @AfterEach
    void tearDown() throws Exception {
        if (runner != null) {
            runner.close();
        }
    }

    /** The launcher stand-in records how it was called; the "runner" appears once it has run. */
    private Path launcher() throws Exception {
        Path script = dir.resolve("oqto-runner");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" > " + dir.resolve("called") + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void startsTheRunnerWhenNoneAnswersAndWaitsForIt() throws Exception {
        Path sock = dir.resolve("r.sock");
        Path called = dir.resolve("called");
        RunnerPool.Connector connector = (socket, uid, timeout) -> {
            if (Files.exists(called) && runner == null) {
                try {
                    runner = new FakeRunner(socket, FakeRunner.Behaviour.NORMAL);
                } catch (IOException e) {
                    throw new RunnerUnavailableException(e.getMessage());
                }
            }
            return RunnerConnection.open(socket, uid, timeout);
        };
        RunnerAutostart autostart = new RunnerAutostart(connector, launcher().toString(), 10_000);
        RunnerConnection c = autostart.open(sock, UnixAccounts.currentUid(), 1000);
        try {
            assertTrue(c.isOpen());
            assertEquals("--socket " + sock, Files.readString(called).strip());
        } finally {
            c.close();
        }
    }

    @Test
    void aMissingLauncherIsNamedInTheError() {
        Path sock = dir.resolve("r.sock");
        RunnerAutostart autostart = new RunnerAutostart(RunnerConnection::open, "/nonexistent/bin/oqto-runner", 1000);
        RunnerUnavailableException e = assertThrows(
                RunnerUnavailableException.class, () -> autostart.open(sock, UnixAccounts.currentUid(), 200));
        assertEquals(
                "runner not answering on " + sock
                        + " and the runner launcher /nonexistent/bin/oqto-runner is not executable",
                e.getMessage());
    }

    @Test
    void aRunnerThatNeverComesUpFailsAfterTheStartTimeout() throws Exception {
        Path sock = dir.resolve("r.sock");
        RunnerAutostart autostart =
                new RunnerAutostart(RunnerConnection::open, launcher().toString(), 500);
        RunnerUnavailableException e = assertThrows(
                RunnerUnavailableException.class, () -> autostart.open(sock, UnixAccounts.currentUid(), 100));
        assertTrue(
                e.getMessage().startsWith("started the runner but it did not answer on " + sock + " within 500 ms"),
                e.getMessage());
    }
}
