package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.testing.tty.StalledWriter;
import io.oqto.testing.tty.TtyClient;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Terminals with real users, their runners and the real sandbox: made through REST (ttyd is not installed here, so
 * the runner's own oqto-tty serves them, in bubblewrap), only by their owner; the shell runs as the user, in the
 * workspace, and cannot read the user's secrets; it ends when its one connection closes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerminalSystemIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MultiUserDeployment d;
    private String alice;
    private String aliceToken;
    private String bobToken;

    @BeforeAll
    void start() throws Exception {
        d = new MultiUserDeployment();
        alice = "tm" + d.tag;
        aliceToken = d.provision(alice);
        bobToken = d.provision("tn" + d.tag);
    }

    @AfterAll
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    /**
     * The handover the control plane asks for, made here as root (whom a runner also serves): hello, then
     * {@code connect_terminal}; the terminal's connection comes with the reply.
     */
    private static Socket connect(Path runnerSocket, String terminal) throws Exception {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(runnerSocket))) {
            s.setAncillaryReceiveBufferSize(1024);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.write("{\"id\":\"h\",\"type\":\"hello\",\"protocol\":\"1.9\"}\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(in.readLine().contains("\"type\":\"welcome\""));
            out.write(("{\"id\":\"c\",\"type\":\"connect_terminal\",\"terminal\":\"" + terminal + "\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
            String reply = in.readLine();
            assertEquals("{\"id\":\"c\",\"type\":\"terminal_connected\",\"terminal\":\"" + terminal + "\"}", reply);
            FileDescriptor[] fds = s.getReceivedFileDescriptors();
            assertEquals(1, fds.length, "one connection came with the reply");
            return FileDescriptorCast.duplicating(fds[0]).as(AFUNIXSocket.class);
        }
    }

    @Test
    @Order(1)
    void theShellRunsAsTheUserSandboxedInTheWorkspaceAndEndsWithItsConnection() throws Exception {
        // A secret only the sandbox keeps from her shell: hers, readable by her outside it.
        String linux = "oqto_" + alice;
        Path ssh = Path.of("/home", linux, ".ssh");
        java.nio.file.Files.createDirectories(ssh);
        java.nio.file.Files.writeString(ssh.resolve("id_rsa"), "SECRET-KEY-MATERIAL\n");
        Commands.runOk(java.util.List.of("chown", "-R", linux + ":", ssh.toString()));
        Commands.runOk(java.util.List.of("chmod", "600", ssh.resolve("id_rsa").toString()));

        HttpResponse<String> created = d.send("POST", "/api/v1/users/me/terminals", "{}", aliceToken);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode terminal = JSON.readTree(created.body());
        String id = terminal.path("id").asText();
        assertEquals("oqto-tty", terminal.path("program").asText(), "ttyd is not installed here");
        assertEquals(".", terminal.path("cwd").asText());
        long pid = terminal.path("pid").asLong();

        assertEquals(
                403,
                d.send("GET", "/api/v1/users/" + alice + "/terminals", null, bobToken)
                        .statusCode());
        assertEquals(
                403,
                d.send("DELETE", "/api/v1/users/" + alice + "/terminals/" + id, null, bobToken)
                        .statusCode());
        assertEquals(
                "[]",
                d.send("GET", "/api/v1/users/me/terminals", null, bobToken).body(),
                "bob sees none of hers");

        HttpResponse<String> runner = d.send("GET", "/api/v1/users/me/runner", null, aliceToken);
        Path runnerSocket = Path.of(JSON.readTree(runner.body()).path("socket").asText());
        TtyClient c = TtyClient.over(connect(runnerSocket, id), 100, 30);
        c.type("id -un\r");
        c.await("oqto_" + alice + "\r\n");
        c.type("cat ~/.ssh/id_rsa; echo rc=$?\r");
        c.await("a failed read", s -> s.matches("(?s).*rc=[1-9]\\d*\r\n.*"), Duration.ofSeconds(20));
        assertTrue(!c.text().contains("SECRET-KEY-MATERIAL"), c.text());
        c.type("stty size; pwd\r");
        c.await("30 100\r\n");
        // pty4j's native library is kept in her runtime directory (bin/oqto-tty), not left in a new /tmp/pty4j-*
        // at every start.
        String runtime = java.util.Arrays.stream(
                        java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "environ"))
                                .split("\0", -1))
                .filter(v -> v.startsWith("XDG_RUNTIME_DIR="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the terminal's program has no XDG_RUNTIME_DIR"))
                .substring("XDG_RUNTIME_DIR=".length());
        Path libpty = Path.of(runtime, "oqto/pty4j/pty4j-linux-x86-64/libpty.so");
        assertTrue(java.nio.file.Files.isRegularFile(libpty), "pty4j's library kept at " + libpty);
        assertEquals(linux, Commands.ownerOf(libpty), "hers");

        c.closeBlocking();
        Commands.waitFor(
                "the terminal to end with its connection",
                Duration.ofSeconds(30),
                () -> {
                    try {
                        return !d.send("GET", "/api/v1/users/me/terminals", null, aliceToken)
                                        .body()
                                        .contains(id)
                                && ProcessHandle.of(pid).isEmpty();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                },
                d.cpLog);

        HttpResponse<String> gone = d.send("DELETE", "/api/v1/users/me/terminals/" + id, null, aliceToken);
        assertEquals(404, gone.statusCode(), gone.body());
        assertTrue(gone.body().contains("\"code\":\"terminal_not_found\""), gone.body());
    }

    private java.net.URI route(String user, String id) {
        return java.net.URI.create("ws://127.0.0.1:" + d.port + "/api/v1/users/" + user + "/terminals/" + id);
    }

    /** A terminal of alice's, made through REST: its id and its program's process. */
    private record Made(String id, long program) {}

    private Made newTerminal() throws Exception {
        HttpResponse<String> created = d.send("POST", "/api/v1/users/me/terminals", "{}", aliceToken);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode t = JSON.readTree(created.body());
        return new Made(t.path("id").asText(), t.path("pid").asLong());
    }

    /** A tab on one of alice's terminals through the control plane's WebSocket route, by her token. */
    private TtyClient aliceTab(String id) throws Exception {
        return TtyClient.connect(route("me", id), java.util.Map.of("Authorization", "Bearer " + aliceToken), 80, 24);
    }

    private static String pidOf(TtyClient c, String marker) throws Exception {
        c.type("echo " + marker + "=$$\r");
        String seen = c.await(marker, s -> s.matches("(?s).*" + marker + "=\\d+\r\n.*"), Duration.ofSeconds(20));
        return seen.replaceAll("(?s).*" + marker + "=(\\d+)\r\n.*", "$1");
    }

    @Test
    @Order(2)
    void theBrowserRouteBridgesToTheTerminalReattachesWithinTheGraceTimeAndRefusesOthers() throws Exception {
        Made made = newTerminal();
        String id = made.id();
        long program = made.program();

        TtyClient anonymous = TtyClient.connect(route("me", id), java.util.Map.of(), 80, 24);
        assertTrue(anonymous.awaitClosed(Duration.ofSeconds(20)));
        assertEquals(1008, anonymous.closeCode());
        assertEquals("unauthenticated: send Authorization: Bearer <token>, or sign in first", anonymous.closeReason());
        TtyClient bob =
                TtyClient.connect(route(alice, id), java.util.Map.of("Authorization", "Bearer " + bobToken), 80, 24);
        assertTrue(bob.awaitClosed(Duration.ofSeconds(20)));
        assertEquals(1008, bob.closeCode());
        assertEquals("forbidden: user tn" + d.tag + " may not open terminals of " + alice, bob.closeReason());

        TtyClient tab = aliceTab(id);
        tab.type("echo $((6*7))\r");
        tab.await("42\r\n");
        tab.type("id -un\r");
        tab.await("oqto_" + alice + "\r\n");
        String shell = pidOf(tab, "first");
        tab.closeBlocking();

        TtyClient again =
                TtyClient.connect(route("me", id), java.util.Map.of("Authorization", "Bearer " + aliceToken), 120, 40);
        assertEquals(shell, pidOf(again, "second"), "a reconnect within the grace time reattaches to the same shell");
        again.type("stty size\r");
        again.await("40 120\r\n");

        assertEquals(
                204,
                d.send("DELETE", "/api/v1/users/me/terminals/" + id, null, aliceToken)
                        .statusCode());
        assertTrue(again.awaitClosed(Duration.ofSeconds(20)), "the tab closes when its terminal ends");
        assertEquals(1000, again.closeCode());
        assertTrue(again.closeReason().startsWith("terminal ended"), again.closeReason());
        // $$ is the shell's pid in the sandbox's PID namespace; on the host the terminal is its program's process.
        Commands.waitFor(
                "the terminal's program to end",
                Duration.ofSeconds(20),
                () -> ProcessHandle.of(program).isEmpty(),
                d.cpLog);
    }

    @Test
    @Order(4)
    void aTerminalNoTabWatchesEndsAfterTheGraceTimeLeavingNoProcess() throws Exception {
        // A short grace, set the operator's way: config.toml, picked up while running. Last: it stays.
        java.nio.file.Files.writeString(
                d.config, "\n[terminals]\ngrace_seconds = 2\n", java.nio.file.StandardOpenOption.APPEND);
        Commands.waitFor(
                "the control plane to take the new grace time",
                Duration.ofSeconds(30),
                () -> Commands.read(d.cpLog).contains("terminal grace time: 2 s"),
                d.cpLog);
        Made made = newTerminal();
        String id = made.id();
        long program = made.program();
        TtyClient tab = aliceTab(id);
        tab.type("sleep 600 &\r");
        tab.type("echo started-$((1+1))\r");
        tab.await("started-2\r\n");
        long started = System.nanoTime();
        tab.closeBlocking();
        Commands.waitFor(
                "the unwatched terminal to end",
                Duration.ofSeconds(40),
                () -> {
                    try {
                        return ProcessHandle.of(program).isEmpty()
                                && !d.send("GET", "/api/v1/users/me/terminals", null, aliceToken)
                                        .body()
                                        .contains(id);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                },
                d.cpLog);
        assertTrue(
                System.nanoTime() - started >= java.util.concurrent.TimeUnit.SECONDS.toNanos(2),
                "not before the grace time");
        assertEquals(
                "",
                Commands.run(
                                java.util.List.of("pgrep", "-u", "oqto_" + alice, "-f", "sleep 600"),
                                Duration.ofSeconds(10))
                        .output()
                        .strip(),
                "the shell's background job ended with it");
    }

    @Test
    @Order(3)
    void aBrowserSignedInByCookieOpensItsTerminalOnlyFromThisServersPages() throws Exception {
        assertEquals(
                204,
                d.send(
                                "PUT",
                                "/api/v1/admin/users/" + alice + "/password",
                                "{\"password\":\"alices terminal passphrase\"}",
                                d.adminToken)
                        .statusCode());
        HttpResponse<String> signedIn = d.send(
                "POST",
                "/api/v1/auth/login",
                "{\"name\":\"" + alice + "\",\"password\":\"alices terminal passphrase\"}",
                null);
        assertEquals(200, signedIn.statusCode(), signedIn.body());
        String cookie =
                signedIn.headers().firstValue("Set-Cookie").orElseThrow().replaceAll(";.*", "");
        String id = newTerminal().id();

        TtyClient otherSite = TtyClient.connect(
                route("me", id), java.util.Map.of("Cookie", cookie, "Origin", "http://evil.example"), 80, 24);
        assertTrue(otherSite.awaitClosed(Duration.ofSeconds(20)));
        assertEquals(1008, otherSite.closeCode());
        assertEquals("csrf_refused: a WebSocket from another site is refused", otherSite.closeReason());
        // Every refusal carries its reason (Jetty once dropped the close frame of a connection closed as it opened).
        for (int round = 0; round < 20; round++) {
            TtyClient noOrigin = TtyClient.connect(route("me", id), java.util.Map.of("Cookie", cookie), 80, 24);
            assertTrue(noOrigin.awaitClosed(Duration.ofSeconds(20)));
            assertEquals(1008, noOrigin.closeCode(), "round " + round);
            assertEquals(
                    "csrf_refused: a WebSocket from another site is refused", noOrigin.closeReason(), "round " + round);
        }

        TtyClient tab = TtyClient.connect(
                route("me", id), java.util.Map.of("Cookie", cookie, "Origin", "http://127.0.0.1:" + d.port), 80, 24);
        tab.type("id -un\r");
        tab.await("oqto_" + alice + "\r\n");
        tab.closeBlocking();
        assertEquals(
                204,
                d.send("DELETE", "/api/v1/users/me/terminals/" + id, null, aliceToken)
                        .statusCode());
    }

    @Test
    @Order(5)
    void aRunnerRestartEndsItsTerminalsAndTheirTabsCleanly() throws Exception {
        Made made = newTerminal();
        String id = made.id();
        long program = made.program();
        TtyClient tab = aliceTab(id);
        tab.type("sleep 900 & echo started-$((3*5))\r");
        tab.await("started-15\r\n");
        java.util.List<ProcessHandle> tree = java.util.stream.Stream.concat(
                        ProcessHandle.of(program).stream(),
                        ProcessHandle.of(program).stream().flatMap(ProcessHandle::descendants))
                .toList();
        long runner = MultiUserDeployment.pidIn(d.send("GET", "/api/v1/users/" + alice + "/runner", null, d.adminToken)
                .body());

        // The runner stops as it would for a restart (SIGTERM), and the root helper starts it again.
        Commands.runOk(java.util.List.of("kill", "-TERM", Long.toString(runner)));
        assertTrue(tab.awaitClosed(Duration.ofSeconds(30)), "the tab closes when its terminal ends");
        assertEquals(1000, tab.closeCode());
        assertTrue(tab.closeReason().startsWith("terminal ended"), tab.closeReason());
        for (ProcessHandle h : tree) {
            Commands.waitFor(
                    "process " + h.pid() + " of the terminal to end",
                    Duration.ofSeconds(20),
                    () -> !h.isAlive(),
                    d.cpLog);
        }
        assertEquals(
                "",
                Commands.run(
                                java.util.List.of("pgrep", "-u", "oqto_" + alice, "-f", "sleep 900"),
                                Duration.ofSeconds(10))
                        .output()
                        .strip(),
                "nothing the shell started outlives it");
        Commands.waitFor(
                "alice's runner back",
                Duration.ofSeconds(30),
                () -> {
                    try {
                        HttpResponse<String> r =
                                d.send("GET", "/api/v1/users/" + alice + "/runner", null, d.adminToken);
                        return r.statusCode() == 200 && MultiUserDeployment.pidIn(r.body()) != runner;
                    } catch (Exception e) {
                        return false;
                    }
                },
                d.helperLog);
        assertEquals(
                "[]",
                d.send("GET", "/api/v1/users/me/terminals", null, aliceToken).body(),
                "the new runner has no terminal");
        TtyClient late =
                TtyClient.connect(route("me", id), java.util.Map.of("Authorization", "Bearer " + aliceToken), 80, 24);
        assertTrue(late.awaitClosed(Duration.ofSeconds(20)));
        assertEquals(1008, late.closeCode());
        assertTrue(late.closeReason().startsWith("terminal_not_found: "), late.closeReason());
    }

    @Test
    @Order(6)
    void throughTheControlPlaneCtrlCWorksAndOutputIsBinarySafeCompleteInOrderAndHeldForATabThatDoesNotRead()
            throws Exception {
        String id = newTerminal().id();
        TtyClient tab = aliceTab(id);

        tab.type("sleep 300; echo slept-$((1+1))\r");
        Commands.waitFor(
                "sleep 300 to run", Duration.ofSeconds(20), () -> Commands.running("oqto_" + alice, "sleep 300"));
        tab.type("\u0003");
        tab.type("echo after-$((2+2))\r");
        assertFalse(tab.await("after-4\r\n").contains("slept-2"), "sleep was interrupted, not waited for");

        // Every byte value, raw (no CR added to LF), between markers the echoed command line does not contain.
        StringBuilder octal = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            octal.append(String.format("\\%03o", i));
        }
        tab.type("stty raw -echo; printf BEG''IN; printf '" + octal + "'; printf EN''D; stty sane\r");
        tab.await("the end marker", t -> t.contains("END"), Duration.ofSeconds(20));
        byte[] out = tab.outputBytes();
        int begin = TtyClient.indexOf(out, "BEGIN".getBytes(StandardCharsets.US_ASCII), 0) + 5;
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertArrayEquals(all, java.util.Arrays.copyOfRange(out, begin, begin + 256));

        // 10 MiB: seq's lines, each 8 bytes, complete and in order.
        java.io.ByteArrayOutputStream big = new java.io.ByteArrayOutputStream();
        tab.sendOutputTo(b -> {
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            synchronized (big) {
                big.writeBytes(chunk);
            }
        });
        tab.type("stty raw -echo; printf BEG''IN; seq -w 1 1310720; printf EN''D; stty sane\r");
        byte[] end = "END".getBytes(StandardCharsets.US_ASCII);
        Commands.waitFor("10 MiB through the control plane", Duration.ofMinutes(2), () -> {
            synchronized (big) {
                return big.size() > 10 << 20 && TtyClient.indexOf(big.toByteArray(), end, big.size() - 4096) >= 0;
            }
        });
        byte[] got;
        synchronized (big) {
            got = big.toByteArray();
        }
        int from = TtyClient.indexOf(got, "BEGIN".getBytes(StandardCharsets.US_ASCII), 0) + 5;
        int to = TtyClient.indexOf(got, end, from);
        StringBuilder expected = new StringBuilder(10 << 20);
        for (int i = 1; i <= 1310720; i++) {
            expected.append(String.format("%07d", i)).append('\n');
        }
        assertEquals(10 << 20, to - from, "10 MiB, no byte lost or added");
        assertEquals(expected.toString(), new String(got, from, to - from, StandardCharsets.US_ASCII));
        tab.closeBlocking();

        // A tab that never reads: the output waits in the terminal (its writer blocks), not in the control plane.
        long cpBefore = StalledWriter.residentKiB(d.controlPlaneJava());
        try (Socket raw = new Socket(java.net.InetAddress.getLoopbackAddress(), d.port)) {
            OutputStream rawOut = raw.getOutputStream();
            rawOut.write(String.join(
                            "\r\n",
                            "GET /api/v1/users/me/terminals/" + id + " HTTP/1.1",
                            "Host: 127.0.0.1:" + d.port,
                            "Upgrade: websocket",
                            "Connection: Upgrade",
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                            "Sec-WebSocket-Version: 13",
                            "Sec-WebSocket-Protocol: tty",
                            "Authorization: Bearer " + aliceToken,
                            "",
                            "")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = readHead(raw.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 101"), response);
            rawOut.write(frame("{\"columns\":80,\"rows\":24}"));
            rawOut.write(frame("0dd if=/dev/zero bs=4k count=65536 status=none; echo dd-done\r"));
            rawOut.flush();
            Commands.waitFor(
                    "dd to run", Duration.ofSeconds(20), () -> Commands.running("oqto_" + alice, "dd if=/dev/zero"));
            long dd = Long.parseLong(Commands.run(
                            java.util.List.of("pgrep", "-u", "oqto_" + alice, "-f", "^dd if=/dev/zero"),
                            Duration.ofSeconds(10))
                    .output()
                    .strip());
            long written = StalledWriter.awaitStalled(dd, Duration.ofSeconds(2), Duration.ofSeconds(60));
            long cpAfter = StalledWriter.residentKiB(d.controlPlaneJava());
            System.out.printf(
                    "a tab that does not read: dd held after %d KiB; control plane %d → %d KiB%n",
                    written >> 10, cpBefore, cpAfter);
            assertTrue(written < 32 << 20, "of 256 MiB, dd is held after " + written + " bytes");
            assertTrue(cpAfter - cpBefore < 64 * 1024, "the control plane: " + cpBefore + " → " + cpAfter + " KiB");
        }
        assertEquals(
                204,
                d.send("DELETE", "/api/v1/users/me/terminals/" + id, null, aliceToken)
                        .statusCode());
        Commands.waitFor(
                "dd to end with its terminal",
                Duration.ofSeconds(20),
                () -> !Commands.running("oqto_" + alice, "dd if=/dev/zero"));
    }

    private static byte[] frame(String payload) {
        java.nio.ByteBuffer b = TtyClient.maskedBinary(payload.getBytes(StandardCharsets.UTF_8));
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    /** The HTTP response's head, read a byte at a time so that nothing after it is consumed. */
    private static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }
}
