package io.oqto.runner.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.runner.ErrorCode;
import io.oqto.api.unix.UnixAccounts;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.Protocol;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.RunnerOperation;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

class RunnerServerTest {

    @TempDir
    Path dir;

    private RunnerServer server;

    private RunnerServer start(TestRunnerConfig config) throws IOException {
        server = new RunnerServer(config, Map.of(), "1.2.3", false);
        return server;
    }

    private Path sock() {
        return dir.resolve("r.sock");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.deactivate();
        }
    }

    @Test
    void helloPingAndStatus() throws Exception {
        start(TestRunnerConfig.at(sock().toString()));
        try (LineClient c = new LineClient(sock())) {
            String welcome = c.call("{\"id\":\"1\",\"type\":\"hello\",\"protocol\":\"1.0\"}");
            assertTrue(
                    welcome.startsWith("{\"id\":\"1\",\"type\":\"welcome\",\"protocol\":\"" + Protocol.VERSION
                            + "\",\"runner_version\":\"1.2.3\",\"uid\":" + UnixAccounts.currentUid() + ","),
                    welcome);
            assertTrue(
                    welcome.endsWith("\"capabilities\":[\"ping\",\"status\",\"unsubscribe\",\"unsubscribe_session\"]}"),
                    welcome);
            assertEquals("{\"id\":\"2\",\"type\":\"pong\"}", c.call("{\"id\":\"2\",\"type\":\"ping\"}"));
            String status = c.call("{\"id\":\"3\",\"type\":\"status\"}");
            assertTrue(
                    status.contains("\"type\":\"status\",\"version\":\"1.2.3\",\"protocol\":\"" + Protocol.VERSION
                            + "\",\"pid\":" + ProcessHandle.current().pid()),
                    status);
            assertTrue(status.contains("\"socket\":\"" + sock() + "\",\"connections\":1,\"subscriptions\":0}"), status);
        }
    }

    @Test
    void badInputGetsClearErrorsAndTheConnectionCarriesOn() throws Exception {
        start(TestRunnerConfig.at(sock().toString()));
        try (LineClient c = new LineClient(sock())) {
            assertEquals(
                    "{\"id\":\"1\",\"type\":\"error\",\"code\":\"hello_required\",\"message\":\"send hello before \\\"ping\\\"\"}",
                    c.call("{\"id\":\"1\",\"type\":\"ping\"}"));
            assertTrue(c.call("not json").startsWith("{\"id\":null,\"type\":\"error\",\"code\":\"invalid_json\""));
            assertEquals(
                    "{\"id\":null,\"type\":\"error\",\"code\":\"invalid_request\",\"message\":\"missing \\\"id\\\"\"}",
                    c.call("{\"type\":\"ping\"}"));
            c.hello();
            assertEquals(
                    "{\"id\":\"4\",\"type\":\"error\",\"code\":\"unknown_type\",\"message\":\"unknown request type \\\"spawn\\\" "
                            + "(this runner serves: hello, ping, status, unsubscribe, unsubscribe_session)\"}",
                    c.call("{\"id\":\"4\",\"type\":\"spawn\"}"));
            assertEquals("{\"id\":\"5\",\"type\":\"pong\"}", c.call("{\"id\":\"5\",\"type\":\"ping\"}"));
        }
    }

    @Test
    void oversizedFramesAreDiscardedNotBuffered() throws Exception {
        start(TestRunnerConfig.at(sock().toString()));
        try (LineClient c = new LineClient(sock())) {
            c.hello();
            String huge = "{\"id\":\"big\",\"type\":\"ping\",\"pad\":\"" + "x".repeat(100_000) + "\"}";
            assertEquals(
                    "{\"id\":null,\"type\":\"error\",\"code\":\"frame_too_large\",\"message\":\"frame of "
                            + huge.length() + " bytes exceeds the limit of 4096 bytes; discarded\"}",
                    c.call(huge));
            assertEquals("{\"id\":\"after\",\"type\":\"pong\"}", c.call("{\"id\":\"after\",\"type\":\"ping\"}"));
        }
    }

    @Test
    void operationsFromOtherBundlesAreServedAndAdvertised() throws Exception {
        start(TestRunnerConfig.at(sock().toString()));
        RunnerOperation echo = new RunnerOperation() {
            @Override
            public Set<String> types() {
                return Set.of("echo");
            }

            @Override
            public Frame handle(Frame request) throws ProtocolException {
                if (request.string("text") == null) {
                    throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"text\" is required", null);
                }
                return Frame.of(request.id(), "echoed").with("text", request.string("text"));
            }
        };
        server.addOperation(echo);
        try (LineClient c = new LineClient(sock())) {
            String welcome = c.call("{\"id\":\"h\",\"type\":\"hello\",\"protocol\":\"1.0\"}");
            assertTrue(
                    welcome.endsWith(
                            "\"capabilities\":[\"ping\",\"status\",\"unsubscribe\",\"unsubscribe_session\",\"echo\"]}"),
                    welcome);
            assertEquals(
                    "{\"id\":\"1\",\"type\":\"echoed\",\"text\":\"hi\"}",
                    c.call("{\"id\":\"1\",\"type\":\"echo\",\"text\":\"hi\"}"));
            assertEquals(
                    "{\"id\":\"2\",\"type\":\"error\",\"code\":\"invalid_request\",\"message\":\"\\\"text\\\" is required\"}",
                    c.call("{\"id\":\"2\",\"type\":\"echo\"}"));
            server.removeOperation(echo);
            assertTrue(c.call("{\"id\":\"3\",\"type\":\"echo\"}").contains("\"code\":\"unknown_type\""));
        }
    }

    @Test
    void aHandoverPassesAConnectionThatThenWorksWithoutTheRunner() throws Exception {
        start(TestRunnerConfig.at(sock().toString()));
        Path other = dir.resolve("other.sock");
        try (java.nio.channels.ServerSocketChannel listener =
                java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            listener.bind(java.net.UnixDomainSocketAddress.of(other));
            server.addOperation(new io.oqto.runner.spi.HandoverOperation() {
                @Override
                public Set<String> types() {
                    return Set.of("connect_other");
                }

                @Override
                public Set<String> handoverTypes() {
                    return types();
                }

                @Override
                public Frame handle(Frame request) {
                    throw new AssertionError("handovers are not handled as plain requests");
                }

                @Override
                public Handover handover(Frame request) throws ProtocolException {
                    if (request.string("to") == null) {
                        throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"to\" is required", null);
                    }
                    try {
                        org.newsclub.net.unix.AFUNIXSocket s =
                                org.newsclub.net.unix.AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(other));
                        return new Handover(Frame.of(request.id(), "connected"), s.getFileDescriptor(), s);
                    } catch (IOException e) {
                        throw new ProtocolException(ErrorCode.IO_ERROR, e.getMessage(), null);
                    }
                }
            });
            try (LineClient c = new LineClient(sock()).receivingDescriptors().hello()) {
                assertEquals(
                        "{\"id\":\"1\",\"type\":\"error\",\"code\":\"invalid_request\",\"message\":\"\\\"to\\\" is required\"}",
                        c.call("{\"id\":\"1\",\"type\":\"connect_other\"}"));
                assertEquals(0, c.receivedDescriptors().length, "a refusal hands nothing over");

                assertEquals(
                        "{\"id\":\"2\",\"type\":\"connected\"}",
                        c.call("{\"id\":\"2\",\"type\":\"connect_other\",\"to\":\"x\"}"));
                java.io.FileDescriptor[] fds = c.receivedDescriptors();
                assertEquals(1, fds.length);
                try (java.nio.channels.SocketChannel far = listener.accept();
                        org.newsclub.net.unix.AFUNIXSocket mine = org.newsclub.net.unix.FileDescriptorCast.using(fds[0])
                                .as(org.newsclub.net.unix.AFUNIXSocket.class)) {
                    mine.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4);
                    while (b.hasRemaining() && far.read(b) >= 0) {
                        // until the 4 bytes are there
                    }
                    assertEquals("ping", new String(b.array(), StandardCharsets.US_ASCII));
                    far.write(java.nio.ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
                    assertEquals("pong", new String(mine.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
                    mine.close();
                    // The runner kept no copy: with the client's closed, the far end sees the end.
                    assertEquals(-1, far.read(java.nio.ByteBuffer.allocate(1)));
                }
                assertEquals("{\"id\":\"3\",\"type\":\"pong\"}", c.call("{\"id\":\"3\",\"type\":\"ping\"}"));
            }
        }
    }

    @Test
    void requestsBeyondTheInFlightLimitAreBusyAndTheRestIsServed() throws Exception {
        start(new TestRunnerConfig(sock().toString(), "", 4096, 8, 1));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.addOperation(new RunnerOperation() {
            @Override
            public Set<String> types() {
                return Set.of("slow");
            }

            @Override
            public Frame handle(Frame request) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Frame.of(request.id(), "done");
            }
        });
        try (LineClient c = new LineClient(sock())) {
            c.hello();
            c.send("{\"id\":\"1\",\"type\":\"slow\"}");
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            assertEquals(
                    "{\"id\":\"2\",\"type\":\"error\",\"code\":\"busy\",\"message\":\"too many requests in flight; retry later\"}",
                    c.call("{\"id\":\"2\",\"type\":\"slow\"}"));
            assertEquals(
                    "{\"id\":\"3\",\"type\":\"pong\"}",
                    c.call("{\"id\":\"3\",\"type\":\"ping\"}"),
                    "a slow request does not hold up the connection");
            release.countDown();
            assertEquals("{\"id\":\"1\",\"type\":\"done\"}", c.read());
        }
    }

    @Test
    void unsupportedMajorVersionIsRefused() throws Exception {
        start(TestRunnerConfig.at(sock().toString()));
        try (LineClient c = new LineClient(sock())) {
            assertEquals(
                    "{\"id\":\"1\",\"type\":\"error\",\"code\":\"unsupported_version\",\"message\":\"client speaks protocol 2.0, "
                            + "this runner speaks " + Protocol.VERSION + "\"}",
                    c.call("{\"id\":\"1\",\"type\":\"hello\",\"protocol\":\"2.0\"}"));
            assertTrue(c.call("{\"id\":\"2\",\"type\":\"ping\"}").contains("hello_required"));
        }
    }

    @Test
    void manyRequestsInFlightOnOneConnection() throws Exception {
        start(TestRunnerConfig.at(sock().toString()));
        try (LineClient c = new LineClient(sock())) {
            c.hello();
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                batch.append("{\"id\":\"p").append(i).append("\",\"type\":\"ping\"}\n");
            }
            c.send(batch.substring(0, batch.length() - 1));
            Set<String> ids = new HashSet<>();
            Pattern id = Pattern.compile("\\{\"id\":\"(p\\d+)\",\"type\":\"pong\"}");
            for (int i = 0; i < 50; i++) {
                Matcher m = id.matcher(c.read());
                assertTrue(m.matches());
                ids.add(m.group(1));
            }
            assertEquals(50, ids.size(), "every request answered exactly once");
        }
    }

    @Test
    void oneBadConnectionDoesNotDisturbAnother() throws Exception {
        start(TestRunnerConfig.at(sock().toString()));
        try (LineClient bad = new LineClient(sock());
                LineClient good = new LineClient(sock())) {
            good.hello();
            bad.send("{\"id\":\"half");
            bad.send("\u0000\u0001garbage");
            assertEquals("{\"id\":\"g\",\"type\":\"pong\"}", good.call("{\"id\":\"g\",\"type\":\"ping\"}"));
        }
    }

    @Test
    void peersOutsideThePolicyAreRefused() throws Exception {
        server = new RunnerServer(
                TestRunnerConfig.at(sock().toString()),
                Map.of(),
                "1",
                false,
                new PeerPolicy(Set.of(424242)),
                Set.of(),
                () -> {});
        try (LineClient c = new LineClient(sock())) {
            assertEquals(
                    "{\"id\":null,\"type\":\"error\",\"code\":\"unauthorized\",\"message\":\"uid "
                            + UnixAccounts.currentUid() + " may not use this runner\"}",
                    c.read());
            assertNull(c.read(), "then the runner closes the connection");
        }
    }

    @Test
    void connectionLimitRefusesTheExtraConnection() throws Exception {
        start(new TestRunnerConfig(sock().toString(), "", 4096, 1, 64));
        try (LineClient first = new LineClient(sock())) {
            first.hello();
            try (LineClient second = new LineClient(sock())) {
                assertEquals(
                        "{\"id\":null,\"type\":\"error\",\"code\":\"busy\",\"message\":\"too many connections\"}",
                        second.read());
            }
        }
    }

    @Test
    void socketIsOwnerOnlyAndRemovedOnDeactivateWithAllThreads() throws Exception {
        start(TestRunnerConfig.at(sock().toString()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock())));
        try (LineClient c = new LineClient(sock())) {
            c.hello().call("{\"id\":\"1\",\"type\":\"status\"}");
            server.deactivate();
            server = null;
            assertNull(c.read(), "open connections are closed");
        }
        assertFalse(Files.exists(sock()));
        waitForNoRunnerThreads();
    }

    private static void waitForNoRunnerThreads() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("oqto-runner"))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("runner threads still alive: "
                + Thread.getAllStackTraces().keySet().stream()
                        .map(Thread::getName)
                        .filter(n -> n.startsWith("oqto-runner"))
                        .toList());
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock()));
        }
        assertTrue(Files.exists(sock()), "the JDK leaves the socket file behind: a stale socket");
        start(TestRunnerConfig.at(sock().toString()));
        try (LineClient c = new LineClient(sock())) {
            c.hello();
        }
    }

    @Test
    void aLiveRunnerOnThePathMakesTheSecondOneFail() throws Exception {
        start(TestRunnerConfig.at(sock().toString()));
        IOException e = assertThrows(
                IOException.class,
                () -> new RunnerServer(TestRunnerConfig.at(sock().toString()), Map.of(), "1", false));
        assertEquals("another runner is already listening on " + sock(), e.getMessage());
        try (LineClient c = new LineClient(sock())) {
            c.hello();
        }
    }

    @Test
    void aRegularFileInTheWayIsNotDeleted() throws Exception {
        Files.writeString(sock(), "precious");
        IOException e = assertThrows(IOException.class, () -> start(TestRunnerConfig.at(sock().toString())));
        assertEquals(sock() + " exists and is not a socket; refusing to replace it", e.getMessage());
        assertEquals("precious", Files.readString(sock()));
    }

    @Test
    void overlongSocketPathsAreRefusedClearly() {
        String longPath = dir.resolve("x".repeat(120) + ".sock").toString();
        IOException e = assertThrows(IOException.class, () -> start(TestRunnerConfig.at(longPath)));
        assertEquals("socket path is longer than 107 bytes: " + longPath, e.getMessage());
    }

    @Test
    void createsAPrivateSocketDirectory() throws Exception {
        Path nested = dir.resolve("rt").resolve("r.sock");
        start(TestRunnerConfig.at(nested.toString()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested.getParent())));
    }

    @Test
    void tellsSystemdWhenReady() throws Exception {
        Path notify = dir.resolve("notify");
        try (AFUNIXDatagramSocket systemd = AFUNIXDatagramSocket.newInstance()) {
            systemd.bind(AFUNIXSocketAddress.of(notify));
            systemd.setSoTimeout(10_000);
            server = new RunnerServer(
                    TestRunnerConfig.at(sock().toString()), Map.of("NOTIFY_SOCKET", notify.toString()), "1", false);
            DatagramPacket p = new DatagramPacket(new byte[512], 512);
            systemd.receive(p);
            String msg = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            assertTrue(msg.startsWith("READY=1\nSTATUS=listening on " + sock() + "\nMAINPID="), msg);
            server.deactivate();
            server = null;
            systemd.receive(p);
            assertEquals("STOPPING=1", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void connectionsWaitUntilTheAwaitedRequestTypesAreServed() throws Exception {
        Path notify = dir.resolve("notify");
        try (AFUNIXDatagramSocket systemd = AFUNIXDatagramSocket.newInstance()) {
            systemd.bind(AFUNIXSocketAddress.of(notify));
            server = new RunnerServer(
                    TestRunnerConfig.at(sock().toString()),
                    Map.of("NOTIFY_SOCKET", notify.toString()),
                    "1",
                    false,
                    null,
                    RunnerServer.awaitedTypes(" list_processes , create_session"),
                    () -> {});
            DatagramPacket p = new DatagramPacket(new byte[512], 512);
            try (LineClient early = new LineClient(sock())) {
                systemd.setSoTimeout(300);
                assertThrows(SocketTimeoutException.class, () -> systemd.receive(p), "not READY yet");
                server.addOperation(operation("list_processes"));
                assertThrows(SocketTimeoutException.class, () -> systemd.receive(p), "still one missing");
                server.addOperation(operation("create_session"));
                systemd.setSoTimeout(10_000);
                systemd.receive(p);
                assertTrue(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).startsWith("READY=1\n"));
                // The client that connected early is served now, by a runner that knows every type.
                early.hello();
                assertEquals(
                        "{\"id\":\"2\",\"type\":\"done\"}", early.call("{\"id\":\"2\",\"type\":\"list_processes\"}"));
            }
        }
    }

    /** A stand-in for another bundle's operation: answers every request of its type with {@code done}. */
    private static io.oqto.runner.spi.RunnerOperation operation(String type) {
        return new io.oqto.runner.spi.RunnerOperation() {
            @Override
            public Set<String> types() {
                return Set.of(type);
            }

            @Override
            public io.oqto.runner.protocol.Frame handle(io.oqto.runner.protocol.Frame request) {
                return io.oqto.runner.protocol.Frame.of(request.id(), "done");
            }
        };
    }

    @Test
    void defaultSocketIsInTheRuntimeDirectory() {
        assertEquals(
                Path.of("/run/user/1000/oqto-runner.sock"),
                SocketLocation.resolve("", Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), 1000));
        assertEquals(Path.of("/x/y.sock"), SocketLocation.resolve("/x/y.sock", Map.of("XDG_RUNTIME_DIR", "/r"), 1));
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> SocketLocation.resolve("", Map.of(), 987654));
        assertEquals(
                "XDG_RUNTIME_DIR is not set and /run/user/987654 does not exist: set [runner] socket or pass --socket",
                e.getMessage());
    }

    @Test
    void peerPolicyServesOwnUidRootAndTheControlPlaneOnly() {
        PeerPolicy p = PeerPolicy.of(1000, 999);
        assertTrue(p.allows(1000) && p.allows(0) && p.allows(999));
        assertFalse(p.allows(1001));
        assertEquals(Set.of(0), PeerPolicy.of(0, null).allowedUids(), "root runner: no duplicate entries");
    }
}
