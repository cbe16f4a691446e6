package io.oqto.terminal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.ConfinedWorkspace;
import io.oqto.runner.spi.HandoverOperation;
import io.oqto.testing.tty.TtyClient;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The runner's terminals with the real oqto-tty and bash: made in the workspace, listed, connected once through a
 * handover (used here as the runner server and the control plane use it), ended by their shell, by delete and by
 * the bundle's stop; bad requests refused with what is wrong, before anything starts.
 */
class TerminalsTest {

    @TempDir
    Path dir;

    private Path workspace;
    private TtyLauncher launcher;
    private Terminals terminals;

    @BeforeEach
    void setUp() throws Exception {
        workspace = Files.createDirectories(dir.resolve("ws"));
        Files.createDirectories(workspace.resolve("src"));
        launcher = new TtyLauncher(workspace, Files.createDirectories(dir.resolve("sockets")));
        terminals = new Terminals(launcher, new ConfinedWorkspace(workspace));
    }

    @AfterEach
    void tearDown() throws Exception {
        terminals.deactivate();
        for (Process p : launcher.started) {
            p.destroyForcibly();
        }
    }

    private static Frame request(String type, Object... kv) {
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        return new Frame("r1", type, f);
    }

    private Map<?, ?> create(String cwd) throws ProtocolException {
        return (Map<?, ?>) terminals
                .handle(request("create_terminal", "cwd", cwd))
                .fields()
                .get("terminal");
    }

    private List<?> list() throws ProtocolException {
        return (List<?>) terminals.handle(request("list_terminals")).fields().get("terminals");
    }

    private static String error(ThrowingCall call) {
        ProtocolException e = assertThrows(ProtocolException.class, call::run);
        return e.code().wire() + ": " + e.getMessage();
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    /** The handover as the runner server sends it and the control plane receives it. */
    private static AFUNIXSocket received(HandoverOperation.Handover h) throws Exception {
        AFUNIXSocket mine = FileDescriptorCast.duplicating(h.descriptor()).as(AFUNIXSocket.class);
        new FileInputStream(h.descriptor()).close();
        h.owner().close();
        return mine;
    }

    @Test
    void aTerminalIsMadeInTheWorkspaceConnectedOnceAndEndsWithItsShell() throws Exception {
        Map<?, ?> t = create("src");
        String id = (String) t.get("id");
        assertTrue(id.matches("t-[a-z0-9]{10}"), id);
        assertEquals("oqto-tty", t.get("program"));
        assertEquals("src", t.get("cwd"));
        assertEquals(false, t.get("connected"));
        assertEquals(1, list().size());

        HandoverOperation.Handover h = terminals.handover(request("connect_terminal", "terminal", id));
        assertEquals(Map.of("terminal", id), h.reply().fields());
        assertEquals("terminal_connected", h.reply().type());
        TtyClient c = TtyClient.over(received(h), 80, 24);
        c.type("pwd\r");
        c.await(workspace.resolve("src").toString());
        assertEquals(true, ((Map<?, ?>) list().get(0)).get("connected"));
        assertEquals(
                "invalid_state: terminal " + id + " is connected already (it has one connection)",
                error(() -> terminals.handover(request("connect_terminal", "terminal", id))));

        c.closeBlocking();
        await("the terminal to end with its one connection", () -> {
            try {
                return list().isEmpty();
            } catch (ProtocolException e) {
                throw new AssertionError(e);
            }
        });
        assertFalse(launcher.started.get(0).isAlive());
    }

    @Test
    void deleteEndsTheProgramAndUnknownTerminalsAreNotFound() throws Exception {
        String id = (String) create(".").get("id");
        Frame deleted = terminals.handle(request("delete_terminal", "terminal", id));
        assertEquals(new Frame("r1", "terminal_deleted", Map.of("terminal", id)), deleted);
        assertFalse(launcher.started.get(0).isAlive(), "its program is gone");
        assertEquals(List.of(), list());
        assertEquals(
                "terminal_not_found: no terminal " + id,
                error(() -> terminals.handle(request("delete_terminal", "terminal", id))));
        assertEquals(
                "terminal_not_found: no terminal t-nope",
                error(() -> terminals.handover(request("connect_terminal", "terminal", "t-nope"))));
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingStarts() {
        assertEquals(
                "path_not_allowed: path ../x is not allowed: it contains ..",
                error(() -> terminals.handle(request("create_terminal", "cwd", "../x"))));
        assertEquals(
                "invalid_request: \"cwd\" must be a string",
                error(() -> terminals.handle(request("create_terminal", "cwd", 3))));
        assertEquals(List.of(), launcher.started, "nothing was started");
    }

    @Test
    void stoppingTheBundleEndsEveryTerminal() throws Exception {
        create(".");
        create("src");
        terminals.deactivate();
        for (Process p : launcher.started) {
            assertFalse(p.isAlive());
        }
        assertEquals(List.of(), list());
    }
}
