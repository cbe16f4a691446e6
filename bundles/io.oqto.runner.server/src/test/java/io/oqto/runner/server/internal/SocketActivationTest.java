package io.oqto.runner.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.unix.UnixAccounts;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.spi.RunnerOperation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A runner that takes its listening socket over from a holder, the way the root helper hands it one: the test holds
 * the socket, accepts the first connection as the helper does, and passes both on the hand-over socket. The runner must
 * serve the waiting connection and new ones, exit when idle (and not while something keeps it), and leave the held
 * socket listening — closing its copy would shut it down for the holder too.
 */
class SocketActivationTest {

    @TempDir
    Path dir;

    private AFUNIXServerSocket held;
    private AFUNIXSocket firstHeld;
    private LineClient first;
    private RunnerServer server;
    private final CountDownLatch exited = new CountDownLatch(1);

    @BeforeEach
    void holdTheSocketAndAcceptTheFirstConnection() throws IOException {
        assertEquals(
                0, UnixAccounts.currentUid(), "the runner takes a socket only from root (the helper): run as root");
        held = AFUNIXServerSocket.newInstance();
        held.bind(AFUNIXSocketAddress.of(sock()));
        first = new LineClient(sock());
        firstHeld = held.accept();
    }

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.deactivate();
        }
        first.close();
        firstHeld.close();
        held.close();
    }

    private Path sock() {
        return dir.resolve("r.sock");
    }

    /** Starts a runner that takes the socket over, handing it over as the helper does. */
    private void startRunner(int idleExitSeconds) throws Exception {
        Path handover = dir.resolve("h.sock");
        try (AFUNIXServerSocket hand = AFUNIXServerSocket.newInstance()) {
            hand.bind(AFUNIXSocketAddress.of(handover));
            Thread helper = new Thread(() -> {
                try (AFUNIXSocket runner = hand.accept()) {
                    runner.setOutboundFileDescriptors(held.getFileDescriptor(), firstHeld.getFileDescriptor());
                    OutputStream out = runner.getOutputStream();
                    out.write('S');
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            helper.start();
            server = new RunnerServer(
                    new TestRunnerConfig(sock().toString(), "", 4096, 8, 64, idleExitSeconds),
                    Map.of(InheritedSocket.HANDOVER_ENV, handover.toString()),
                    "1",
                    false,
                    null,
                    Set.of(),
                    exited::countDown);
            helper.join(10_000);
        }
    }

    @Test
    void theWaitingConnectionAndNewOnesAreServedThenTheIdleRunnerEndsAndTheSocketStillListens() throws Exception {
        startRunner(1);
        first.hello();
        assertEquals("{\"id\":\"p\",\"type\":\"pong\"}", first.call("{\"id\":\"p\",\"type\":\"ping\"}"));
        try (LineClient second = new LineClient(sock())) {
            second.hello();
            assertEquals("{\"id\":\"q\",\"type\":\"pong\"}", second.call("{\"id\":\"q\",\"type\":\"ping\"}"));
        }
        assertTrue(exited.await(15, TimeUnit.SECONDS), "the runner ended when idle");
        assertNull(first.read(), "its connections were closed");
        server.deactivate();
        server = null;
        assertTrue(Files.exists(sock()), "the socket file is the holder's: still there");
        try (LineClient third = new LineClient(sock())) {
            held.setSoTimeout(5000);
            AFUNIXSocket next = held.accept();
            assertNotNull(next, "the holder's socket still listens and takes the next connection");
            next.close();
        }
    }

    @Test
    void whatAnOperationSaysKeepsTheRunnerUntilItStopsSaying() throws Exception {
        List<String> keeping = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("1 process"));
        startRunner(1);
        server.addOperation(new RunnerOperation() {
            @Override
            public Set<String> types() {
                return Set.of("keep");
            }

            @Override
            public Frame handle(Frame request) {
                return Frame.of(request.id(), "kept");
            }

            @Override
            public List<String> keepsRunning() {
                return keeping;
            }
        });
        first.hello();
        assertEquals(List.of("1 process"), server.keepsRunning());
        assertFalse(exited.await(4, TimeUnit.SECONDS), "four idle times: the process keeps it");
        keeping.clear();
        assertTrue(exited.await(15, TimeUnit.SECONDS), "ended once nothing keeps it");
    }
}
