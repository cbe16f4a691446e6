package io.oqto.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.runner.spi.sandbox.SandboxUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BwrapArgumentsTest {

    private static final Path HOME = Path.of("/home/alice");
    private static final Path WS = Path.of("/home/alice/oqto/proj");

    /** Pretends these paths exist, so the expected argv does not depend on the build machine. */
    private static BwrapArguments withExisting(String... paths) {
        Set<Path> existing = new HashSet<>();
        for (String p : paths) {
            existing.add(Path.of(p));
        }
        return new BwrapArguments(HOME, existing::contains);
    }

    @Test
    void strictProfileInMountOrder() {
        Profile strict = BuiltinProfiles.ALL.get("strict");
        List<String> argv = withExisting(
                        "/usr",
                        "/etc",
                        "/home/alice",
                        "/home/alice/.pi",
                        "/home/alice/.ssh",
                        "/home/alice/.config",
                        "/home/alice/oqto/proj/.oqto")
                .build("/usr/bin/bwrap", strict, WS, List.of("pi", "--mode", "rpc"));
        assertEquals(
                List.of(
                        "/usr/bin/bwrap",
                        "--die-with-parent",
                        "--new-session",
                        "--unshare-pid",
                        "--unshare-net",
                        "--cap-drop",
                        "ALL",
                        "--ro-bind",
                        "/usr",
                        "/usr",
                        "--ro-bind",
                        "/etc",
                        "/etc",
                        "--proc",
                        "/proc",
                        "--dev",
                        "/dev",
                        "--ro-bind",
                        "/home/alice",
                        "/home/alice",
                        "--bind",
                        "/home/alice/.pi",
                        "/home/alice/.pi",
                        "--bind",
                        "/home/alice/oqto/proj",
                        "/home/alice/oqto/proj",
                        "--tmpfs",
                        "/home/alice/.ssh",
                        "--tmpfs",
                        "/home/alice/.config",
                        "--ro-bind",
                        "/home/alice/oqto/proj/.oqto",
                        "/home/alice/oqto/proj/.oqto",
                        "--chdir",
                        "/home/alice/oqto/proj",
                        "--",
                        "pi",
                        "--mode",
                        "rpc"),
                argv);
    }

    @Test
    void minimalProfileKeepsHomeWritableAndTmpShared() {
        List<String> argv = withExisting("/home/alice", "/tmp")
                .build("bwrap", BuiltinProfiles.ALL.get("minimal"), WS, List.of("true"));
        String joined = String.join(" ", argv);
        assertTrue(joined.contains("--bind /home/alice /home/alice"), joined);
        assertTrue(joined.contains("--bind /tmp /tmp") && !joined.contains("--tmpfs /tmp"), joined);
        assertTrue(!joined.contains("--unshare-net"), joined);
        // Supervised in a PID namespace all the same, but seeing the host's processes.
        assertTrue(
                joined.contains("--unshare-pid") && joined.contains("--bind /proc /proc") && !joined.contains("--proc"),
                joined);
    }

    @Test
    void programBindsComeBeforeTheDenies() {
        Profile p = BuiltinProfiles.ALL.get("strict").withBinds(List.of("/opt/oqto"), List.of("/run/user/1000/oqto"));
        List<String> argv = withExisting("/home/alice", "/home/alice/.ssh", "/opt/oqto", "/run/user/1000/oqto")
                .build("bwrap", p, WS, List.of("x"));
        String joined = String.join(" ", argv);
        assertTrue(
                joined.contains("--ro-bind /opt/oqto /opt/oqto")
                        && joined.contains("--bind /run/user/1000/oqto /run/user/1000/oqto"),
                joined);
        assertTrue(joined.indexOf("/run/user/1000/oqto") < joined.indexOf("--tmpfs /home/alice/.ssh"), joined);
    }

    @Test
    void supervisedOnlyAddsAPidNamespace() {
        assertEquals(
                List.of(
                        "/usr/bin/bwrap",
                        "--die-with-parent",
                        "--unshare-pid",
                        "--dev-bind",
                        "/",
                        "/",
                        "--",
                        "sh",
                        "-c",
                        "x"),
                BwrapArguments.supervised("/usr/bin/bwrap", List.of("sh", "-c", "x")));
    }

    @Test
    void failsClosedWhenThePolicyCannotBeHonoured(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(dir.resolve("sandbox.toml"), "enabled = true\nprofile = \"strict\"\n");
        SandboxPolicyService noBwrap = new SandboxPolicyService(List.of(policy), true, Optional.empty(), HOME);
        assertEquals(
                "the sandbox policy requires bubblewrap, and bwrap is not installed",
                assertThrows(SandboxUnavailableException.class, () -> noBwrap.command(WS, List.of("true")))
                        .getMessage());

        Path broken = Files.writeString(dir.resolve("broken.toml"), "deny_read = [\"~/.ssh\"]\n");
        SandboxPolicyService invalid =
                new SandboxPolicyService(List.of(broken), true, Optional.of(Path.of("/usr/bin/bwrap")), HOME);
        assertEquals(
                "invalid sandbox policy: " + broken
                        + ":1:1: deny_read: profile keys belong in a [profiles.<name>] table",
                assertThrows(SandboxUnavailableException.class, () -> invalid.command(WS, List.of("true")))
                        .getMessage());

        SandboxPolicyService missingMultiUser = new SandboxPolicyService(
                List.of(dir.resolve("absent.toml")), false, Optional.of(Path.of("/usr/bin/bwrap")), HOME);
        assertTrue(missingMultiUser
                .describe()
                .startsWith("unavailable: sandbox policy /etc/oqto/sandbox.toml is required"));
        assertThrows(SandboxUnavailableException.class, () -> missingMultiUser.command(WS, List.of("true")));
    }

    @Test
    void singleUserWithoutAPolicyRunsUnsandboxedAndSaysSo(@TempDir Path dir) {
        SandboxPolicyService none =
                new SandboxPolicyService(List.of(dir.resolve("absent.toml")), true, Optional.empty(), HOME);
        assertEquals("disabled", none.describe());
        // No bwrap given: only tied to the runner's life, through setpriv's parent-death signal.
        assertEquals(
                List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "echo", "hi"),
                none.command(WS, List.of("echo", "hi")));
        SandboxPolicyService withBwrap = new SandboxPolicyService(
                List.of(dir.resolve("absent.toml")), true, Optional.of(Path.of("/usr/bin/bwrap")), HOME);
        assertEquals(
                List.of(
                        "/usr/bin/bwrap",
                        "--die-with-parent",
                        "--unshare-pid",
                        "--dev-bind",
                        "/",
                        "/",
                        "--",
                        "echo",
                        "hi"),
                withBwrap.command(WS, List.of("echo", "hi")));
    }

    @Test
    void aBrokenWorkspacePolicyFailsClosedToo(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(dir.resolve("sandbox.toml"), "enabled = true\nprofile = \"development\"\n");
        Path ws = Files.createDirectories(dir.resolve("ws/.oqto")).getParent();
        Files.writeString(ws.resolve(".oqto/sandbox.toml"), "enabled = false\nprofile = \"nope\"\n");
        SandboxPolicyService s =
                new SandboxPolicyService(List.of(policy), true, Optional.of(Path.of("/usr/bin/bwrap")), HOME);
        SandboxUnavailableException e =
                assertThrows(SandboxUnavailableException.class, () -> s.command(ws, List.of("true")));
        assertTrue(e.getMessage().startsWith("invalid workspace sandbox policy: "), e.getMessage());
    }

    @Test
    void aSpawnMayAskForAStricterProfileNeverALooserOne(@TempDir Path dir) throws Exception {
        Path development = Files.writeString(dir.resolve("dev.toml"), "enabled = true\nprofile = \"development\"\n");
        SandboxPolicyService dev =
                new SandboxPolicyService(List.of(development), true, Optional.of(Path.of("/usr/bin/bwrap")), HOME);
        String stricter = String.join(" ", dev.command(WS, List.of("x"), List.of(), List.of(), "strict"));
        assertTrue(stricter.contains("--unshare-net") && stricter.contains("--cap-drop ALL"), stricter);

        Path strict = Files.writeString(dir.resolve("strict.toml"), "enabled = true\nprofile = \"strict\"\n");
        SandboxPolicyService str =
                new SandboxPolicyService(List.of(strict), true, Optional.of(Path.of("/usr/bin/bwrap")), HOME);
        for (String weaker : List.of("minimal", "development")) {
            List<String> asked = str.command(WS, List.of("x"), List.of(), List.of(), weaker);
            String joined = String.join(" ", asked);
            assertTrue(
                    joined.contains("--unshare-net")
                            && joined.contains("--cap-drop ALL")
                            && joined.contains("--proc /proc"),
                    weaker + " loosened nothing: " + joined);
            assertTrue(
                    !joined.contains("--bind " + HOME + " " + HOME),
                    "home stays read-only under " + weaker + ": " + joined);
        }
        assertEquals(
                "unknown sandbox profile \"open\" (built-in: [development, minimal, strict])",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> str.command(WS, List.of("x"), List.of(), List.of(), "open"))
                        .getMessage());
    }
}
