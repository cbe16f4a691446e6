package io.oqto.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.process.internal.limits.LimitEnforcers;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.testing.tty.TtyClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three named programs started from their specs, with real processes: the real file server, the ttyd
 * stand-in (ttyd is not packaged here) and a pi stand-in (issue 4 brings the real pi). The sandbox is
 * left out here (the system test runs them in bubblewrap); what it would be given is recorded.
 */
class ProgramStarterTest {

    @TempDir
    Path dir;

    Path workspace;
    Path bin;
    Path runtime;
    ProcessComponent table;
    List<List<Path>> mounts;
    String pi;
    String fileserver;
    String ttyd;
    String searchPath = "";
    long readyTimeoutMs = 20_000;

    @BeforeEach
    void setUp() throws Exception {
        workspace = Files.createDirectories(dir.resolve("ws"));
        bin = Files.createDirectories(dir.resolve("install/bin"));
        runtime = Files.createDirectories(dir.resolve("run"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path filesClasses = Path.of(io.oqto.files.FileServer.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path apiClasses = Path.of(io.oqto.runner.spi.ConfinedPaths.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        fileserver = script(
                        "oqto-files",
                        "exec " + java + " -cp " + filesClasses + ":" + apiClasses + " io.oqto.files.FileServer \"$@\"")
                .toString();
        Path fakeTtyd =
                Path.of(getClass().getResource("/programs/FakeTtyd.java").toURI());
        ttyd = script("ttyd", "exec " + java + " " + fakeTtyd + " \"$@\"").toString();
        pi = script(
                        "pi",
                        new String(
                                        getClass()
                                                .getResourceAsStream("/programs/fake-pi")
                                                .readAllBytes(),
                                        StandardCharsets.UTF_8)
                                .replaceFirst("^#!/bin/sh\n", ""))
                .toString();
        TestFixtures.WrappingSandbox recording = TestFixtures.WrappingSandbox.none();
        mounts = recording.mounts;
        table = new ProcessComponent(
                TestFixtures.workspaceAt(workspace),
                recording,
                TestProcessConfig.rlimits(),
                LimitEnforcers.Host.current());
    }

    private Path script(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @AfterEach
    void tearDown() throws Exception {
        table.deactivate();
    }

    private ProgramStarter starter() {
        ProgramConfig config = new TestFixtures.TestProgramConfig(
                pi,
                new String[] {"--provider", "test"},
                fileserver,
                ttyd,
                new String[] {"bash", "-i"},
                searchPath,
                readyTimeoutMs);
        return new ProgramStarter(table, TestFixtures.workspaceAt(workspace), config, runtime);
    }

    private Frame start(Object... kv) throws ProtocolException {
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        return starter().handle(new Frame("p", "start_program", f));
    }

    private String err(Object... kv) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> start(kv));
        return e.code().wire() + ": " + e.getMessage();
    }

    @Test
    void theFileServerStartsOnItsSocketInTheRuntimeDirectoryAndIsReadyOnlyWhenItAnswers() throws Exception {
        Frame started = start("program", "fileserver");
        Path socket = Path.of((String) started.fields().get("socket"));
        assertEquals(runtime.resolve("oqto/fileserver.sock"), socket);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        Map<?, ?> process = (Map<?, ?>) started.fields().get("process");
        assertEquals(
                List.of(fileserver, "--socket", socket.toString(), "--root", workspace.toString()),
                process.get("argv"));
        assertEquals(200, UnixHttp.get(socket, "/health"), "answering when start_program returns");
        assertEquals(
                List.of(List.of(dir.resolve("install")), List.of(socket.getParent())),
                mounts.subList(0, 2).stream()
                        .map(l -> l.stream()
                                .filter(p -> !p.toString().equals(System.getProperty("java.home")))
                                .toList())
                        .toList(),
                "its installation read-only, its socket directory writable");
        table.table().process("fileserver").stop(2000);
    }

    @Test
    void ttydGetsItsRealCommandLineAndSpeaksTheTtyProtocol() throws Exception {
        Frame started = start("program", "ttyd", "name", "term-1");
        Path socket = Path.of((String) started.fields().get("socket"));
        assertTrue(socket.toString().endsWith("/oqto/term-1.sock"));
        assertEquals(
                List.of(
                        ttyd,
                        "--interface",
                        socket.toString(),
                        "--writable",
                        "--cwd",
                        workspace.toString(),
                        "bash",
                        "-i"),
                ((Map<?, ?>) started.fields().get("process")).get("argv"));
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(c);
            InputStream in = Channels.newInputStream(c);
            String upgrade = TtyClient.UPGRADE_REQUEST;
            out.write(upgrade.getBytes(StandardCharsets.US_ASCII));
            String head = headOf(in);
            assertTrue(
                    head.startsWith("HTTP/1.1 101")
                            && head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
                    head);
            sendMasked(out, "{\"AuthToken\":\"\",\"columns\":80,\"rows\":24}");
            assertEquals('1', (char) frame(in)[0], "title first");
            assertEquals('2', (char) frame(in)[0], "then preferences");
            sendMasked(out, "0ls\r");
            assertEquals("0ls\r", new String(frame(in), StandardCharsets.UTF_8));
        }
        table.table().process("term-1").stop(2000);
    }

    @Test
    void withoutTtydTheRunnersOwnTerminalServesAndOnceEndsWithItsTerminal() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        script(
                "oqto-tty",
                "exec " + java + " -cp " + System.getProperty("java.class.path")
                        + " io.oqto.tty.TerminalServer \"$@\"");
        Files.delete(bin.resolve("ttyd"));
        ttyd = "ttyd"; // the default, and no ttyd on the search path: the runner's own
        searchPath = bin.toString();
        io.oqto.runner.spi.process.ServingProgram served =
                starter().startServing("ttyd", "term-9", List.of("--once"), ".");
        assertEquals("oqto-tty", served.binary());
        assertEquals(runtime.resolve("oqto/term-9.sock"), served.socket());
        assertEquals(
                List.of(
                        bin.resolve("oqto-tty").toString(),
                        "--interface",
                        served.socket().toString(),
                        "--writable",
                        "--cwd",
                        workspace.toString(),
                        "--once",
                        "bash",
                        "-i"),
                table.table().process("term-9").spec().argv());
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(served.socket()));
            OutputStream out = Channels.newOutputStream(c);
            InputStream in = Channels.newInputStream(c);
            out.write(TtyClient.UPGRADE_REQUEST.getBytes(StandardCharsets.US_ASCII));
            assertTrue(headOf(in).startsWith("HTTP/1.1 101"));
            sendMasked(out, "{\"AuthToken\":\"\",\"columns\":80,\"rows\":24}");
            assertEquals('1', (char) frame(in)[0], "title first");
            assertEquals('2', (char) frame(in)[0], "then preferences");
            sendMasked(out, "0echo $((6*7))\r");
            StringBuilder shown = new StringBuilder();
            while (!shown.toString().contains("42\r\n")) {
                byte[] f = frame(in);
                assertEquals('0', (char) f[0]);
                shown.append(new String(f, 1, f.length - 1, StandardCharsets.UTF_8));
            }
        }
        // The connection closed: with --once the program ends with its terminal.
        assertEquals(0, served.process().exited().toCompletableFuture().get(20, TimeUnit.SECONDS));
    }

    @Test
    void piIsReadyWhenItAnswersGetState() throws Exception {
        Frame started = start("program", "pi", "name", "agent", "args", List.of("--session", "s.jsonl"));
        assertEquals(
                List.of(pi, "--mode", "rpc", "--provider", "test", "--session", "s.jsonl"),
                ((Map<?, ?>) started.fields().get("process")).get("argv"));
        assertEquals(null, started.fields().get("socket"));
        ManagedProcess agent = table.table().process("agent");
        assertTrue(agent.output().after(0, 100).items().stream()
                .anyMatch(l -> l.text().contains("\"id\":\"oqto-ready\"")));
        agent.stop(2000);
    }

    @Test
    void otherBundlesLaunchPiWithItsStdoutToThemselves() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        io.oqto.runner.spi.process.LaunchedProcess p =
                starter().launchProgram("pi", "agent-7", List.of("--no-session"), ".", Map.of(), lines::add);
        p.writeLine("{\"id\":\"a\",\"type\":\"get_state\"}");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(lines.get(0).startsWith("{\"id\":\"a\",\"type\":\"response\""), lines.toString());
        assertEquals(
                List.of(pi, "--mode", "rpc", "--provider", "test", "--no-session"),
                table.table().process("agent-7").spec().argv());
        p.stop(2000);
        io.oqto.runner.spi.process.LaunchException e = assertThrows(
                io.oqto.runner.spi.process.LaunchException.class,
                () -> starter().launchProgram("vim", "x", List.of(), ".", Map.of(), l -> {}));
        assertEquals(io.oqto.api.runner.ErrorCode.INVALID_REQUEST, e.code());
    }

    @Test
    void aMissingBinarySaysWhichAndWhereItWasLookedFor() {
        pi = "no-such-pi";
        searchPath = "~/.bun/bin:/opt/none";
        assertEquals(
                "spawn_failed: [programs] pi: program \"no-such-pi\" not found or not executable (looked in: "
                        + System.getProperty("user.home") + "/.bun/bin, /opt/none)",
                err("program", "pi"));
        fileserver = "/opt/oqto/bin/oqto-files";
        assertEquals(
                "spawn_failed: [programs] fileserver: program \"/opt/oqto/bin/oqto-files\" not found or not executable "
                        + "(looked in: /opt/oqto/bin/oqto-files)",
                err("program", "fileserver"));
        assertEquals("invalid_request: \"program\" must be one of [pi, fileserver, ttyd]", err("program", "vim"));
        assertEquals(
                "invalid_request: \"args\" are only taken by pi (and ttyd's one: --once)",
                err("program", "ttyd", "args", List.of("-x")));
        ttyd = "ttyd";
        searchPath = "/opt/none";
        assertEquals(
                "spawn_failed: [programs] ttyd: program \"ttyd\" not found or not executable (looked in: /opt/none); "
                        + "nor is oqto-tty there",
                err("program", "ttyd"));
    }

    @Test
    void aProgramThatExitsOrNeverAnswersIsReportedWithItsLastOutput() throws Exception {
        fileserver =
                script("broken", "echo 'cannot start: no root' >&2; exit 3").toString();
        assertEquals(
                "spawn_failed: program fileserver exited with code 3 before it was ready; last output: cannot start: no root",
                err("program", "fileserver"));
        ttyd = script("silent", "echo 'waiting forever'; exec sleep 60").toString();
        readyTimeoutMs = 500;
        assertEquals(
                "spawn_failed: program ttyd was not ready within 500 ms (waited for GET / on "
                        + runtime.resolve("oqto/ttyd.sock")
                        + " to answer 200); stopped it; last output: waiting forever",
                err("program", "ttyd"));
        assertEquals(false, table.table().process("ttyd").running());
    }

    private static String headOf(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static void sendMasked(OutputStream out, String text) throws IOException {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x82);
        f.write(0x80 | p.length);
        f.write(mask);
        for (int i = 0; i < p.length; i++) {
            f.write(p[i] ^ mask[i % 4]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    private static byte[] frame(InputStream in) throws IOException {
        in.read();
        int len = in.read() & 0x7f;
        return in.readNBytes(len);
    }
}
