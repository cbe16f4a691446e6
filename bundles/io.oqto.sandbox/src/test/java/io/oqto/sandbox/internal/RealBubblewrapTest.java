package io.oqto.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated command run by the real bubblewrap (scripts/install-test-deps installs it; without it
 * these tests fail, they do not skip). A temporary directory plays the user's home.
 */
class RealBubblewrapTest {

    @TempDir
    Path tmp;

    Path home;
    Path ws;
    String bwrap;

    @BeforeEach
    void setUp() throws IOException {
        bwrap = SandboxPolicyService.findOnPath("bwrap")
                .orElseThrow(() -> new AssertionError("bwrap is not installed: run scripts/install-test-deps"))
                .toString();
        home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_ed25519"), "PRIVATE KEY");
        Files.createDirectories(home.resolve(".pi"));
        ws = Files.createDirectories(home.resolve("oqto/proj"));
        Files.createDirectories(ws.resolve(".oqto"));
    }

    private record Result(int exit, String output) {}

    private Result run(String profile, String script) throws Exception {
        List<String> cmd = BwrapArguments.forHome(home)
                .build(bwrap, BuiltinProfiles.ALL.get(profile), ws, List.of("/bin/sh", "-c", script));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sandboxed command finished");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    }

    @Test
    void everyProfileHidesTheUsersKeys() throws Exception {
        for (String profile : List.of("minimal", "development", "strict")) {
            Result r = run(profile, "cat " + home.resolve(".ssh/id_ed25519"));
            assertNotEquals(0, r.exit(), profile + ": " + r.output());
            assertTrue(r.output().contains("No such file or directory"), profile + ": " + r.output());
        }
    }

    @Test
    void strictWritesOnlyTheWorkspaceAndAllowedPlaces() throws Exception {
        Result r = run(
                "strict",
                "touch " + ws.resolve("made-here") + " && touch " + home.resolve(".pi/ok") + " && touch "
                        + home.resolve("escape") + "; echo exit=$?");
        assertTrue(r.output().endsWith("exit=1"), r.output());
        assertTrue(r.output().contains("Read-only file system"), r.output());
        assertTrue(Files.exists(ws.resolve("made-here")));
        assertTrue(Files.exists(home.resolve(".pi/ok")));
        assertTrue(Files.notExists(home.resolve("escape")));
    }

    @Test
    void theWorkspacePolicyDirectoryIsReadOnlyInside() throws Exception {
        Result r =
                run("development", "echo 'enabled = false' > " + ws.resolve(".oqto/sandbox.toml") + "; echo exit=$?");
        assertTrue(r.output().contains("Read-only file system") && !r.output().endsWith("exit=0"), r.output());
        assertTrue(Files.notExists(ws.resolve(".oqto/sandbox.toml")));
    }

    @Test
    void strictCannotReachAServerOnTheHostsLoopback() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String probe = "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo connected || echo refused";
            Result isolated = run("strict", "/bin/bash -c '" + probe + "' 2>&1");
            assertTrue(isolated.output().endsWith("refused"), isolated.output());
            Result open = run("minimal", "/bin/bash -c '" + probe + "' 2>&1");
            assertEquals("connected", open.output(), "the same probe connects without network isolation");
        }
    }

    @Test
    void pidIsolationHidesHostProcesses() throws Exception {
        Result r = run("strict", "ls /proc | grep -c '^[0-9]'");
        // bwrap's init, the shell, ls and grep: nothing of the host.
        assertTrue(Integer.parseInt(r.output()) <= 5, "processes visible inside: " + r.output());
        Result open = run("minimal", "ls /proc | grep -c '^[0-9]'");
        assertTrue(
                Integer.parseInt(open.output()) > 5, "the host's processes are visible without it: " + open.output());
    }
}
