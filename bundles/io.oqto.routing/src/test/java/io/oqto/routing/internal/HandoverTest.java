package io.oqto.routing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.api.runner.ErrorCode;
import io.oqto.api.runner.Handover;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.terminals.ConnectTerminal;
import io.oqto.api.runner.terminals.TerminalConnected;
import io.oqto.api.unix.UnixAccount;
import io.oqto.api.unix.UnixAccounts;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * {@link RunnerRouter#handOver}: the reply and the connection that came with it, on a connection of its own; a
 * refusal is the runner's error; a reply without a connection is an unavailable runner. Against a scripted runner
 * on a real socket that passes descriptors as the runner server does.
 */
class HandoverTest {

    @TempDir
    Path dir;

    private RunnerRouter router;
    private AFUNIXServerSocket server;

    @AfterEach
    void tearDown() throws IOException {
        if (router != null) {
            router.deactivate();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A runner that answers hello, then one request: {@code answer} with the far end of a socket pair, or not. */
    private AFUNIXSocketChannel runner(String answer, boolean withConnection) throws IOException {
        Path sock = dir.resolve("r.sock");
        server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(sock));
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        Thread t = new Thread(() -> {
            try (AFUNIXSocket c = server.accept()) {
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = c.getOutputStream();
                in.readLine();
                out.write("{\"id\":\"hello\",\"type\":\"welcome\",\"protocol\":\"1.9\",\"uid\":0}\n"
                        .getBytes(StandardCharsets.UTF_8));
                String request = in.readLine();
                String id = request.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                if (withConnection) {
                    c.setOutboundFileDescriptors(pair.getSocket2().getFileDescriptor());
                }
                out.write(answer.replace("ID", id).getBytes(StandardCharsets.UTF_8));
                out.flush();
                c.setOutboundFileDescriptors((java.io.FileDescriptor[]) null);
                new FileInputStream(pair.getSocket2().getFileDescriptor()).close(); // as the runner server releases it
            } catch (IOException e) {
                // the test fails on what it does not get
            }
        });
        t.setDaemon(true);
        t.start();
        router = new RunnerRouter(
                TestRoutingConfig.pattern(sock.toString()),
                new UserDirectory(
                        true,
                        "oqto_",
                        new UnixAccount("alice", UnixAccounts.currentUid(), 0, "/home/alice"),
                        n -> Optional.empty()),
                true);
        return pair.getSocket1();
    }

    @Test
    void theReplyComesWithAConnectionThatReachesTheOtherEnd() throws Exception {
        AFUNIXSocketChannel terminal =
                runner("{\"id\":\"ID\",\"type\":\"terminal_connected\",\"terminal\":\"t-1\"}\n", true);
        try (Handover<TerminalConnected> h = router.handOver("alice", new ConnectTerminal("t-1"))) {
            assertEquals(new TerminalConnected("t-1"), h.reply());
            terminal.write(ByteBuffer.wrap("from the terminal".getBytes(StandardCharsets.UTF_8)));
            assertEquals(
                    "from the terminal",
                    new String(h.connection().getInputStream().readNBytes(17), StandardCharsets.UTF_8));
            h.connection().getOutputStream().write("typed".getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(5);
            while (b.hasRemaining()) {
                terminal.read(b);
            }
            assertEquals("typed", new String(b.array(), StandardCharsets.UTF_8));
        }
        assertEquals(-1, terminal.read(ByteBuffer.allocate(1)), "closing the handover ends the connection");
    }

    @Test
    void aRefusalIsTheRunnersError() throws Exception {
        runner(
                "{\"id\":\"ID\",\"type\":\"error\",\"code\":\"terminal_not_found\",\"message\":\"no terminal t-9\"}\n",
                false);
        RunnerErrorException e =
                assertThrows(RunnerErrorException.class, () -> router.handOver("alice", new ConnectTerminal("t-9")));
        assertEquals(ErrorCode.TERMINAL_NOT_FOUND, e.code());
        assertEquals("no terminal t-9", e.getMessage());
    }

    @Test
    void aReplyWithoutAConnectionIsAnUnavailableRunner() throws Exception {
        runner("{\"id\":\"ID\",\"type\":\"terminal_connected\",\"terminal\":\"t-1\"}\n", false);
        RunnerUnavailableException e = assertThrows(
                RunnerUnavailableException.class, () -> router.handOver("alice", new ConnectTerminal("t-1")));
        assertEquals(
                "runner at " + dir.resolve("r.sock")
                        + " answered \"connect_terminal\" without handing over a connection",
                e.getMessage());
    }
}
