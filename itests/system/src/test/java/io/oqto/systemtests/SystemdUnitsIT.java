package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The unit files of systemd/, installed by systemd/install into a scratch root with the real distributions
 * under /opt, and checked by {@code systemd-analyze verify} (which works without systemd as PID 1): no
 * unknown key, every ExecStart executable, every dependency resolvable. systemd 252 cannot verify user units
 * under --root, so those are verified as system units in a second root; their keys are a subset.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemdUnitsIT {

    private static final Path SYSTEMD =
            Path.of("../../systemd").toAbsolutePath().normalize();
    private Path work;
    private Path root;

    @BeforeAll
    void install() throws Exception {
        work = Files.createTempDirectory("oqto-units-");
        root = Files.createDirectories(work.resolve("root"));
        Commands.runOk(List.of(SYSTEMD.resolve("install").toString(), "--root", root.toString()));
        populate(root);
    }

    /** What the units refer to: the host's targets, the distributions under /opt, stand-ins for eavs, hstry, mmry. */
    private void populate(Path r) throws Exception {
        Path system = Files.createDirectories(r.resolve("usr/lib/systemd/system"));
        try (Stream<Path> host = Files.list(Path.of("/usr/lib/systemd/system"))) {
            for (Path p : host.filter(p ->
                            p.toString().endsWith(".target") || p.toString().endsWith(".slice"))
                    .toList()) {
                if (!Files.exists(system.resolve(p.getFileName()))) {
                    Files.copy(p, system.resolve(p.getFileName()), LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        Distribution.unpack("oqto.controlPlane.tarball", r.resolve("opt/oqto"));
        Distribution.unpack("oqto.runner.tarball", r.resolve("opt/oqto-runner"));
        // The socket unit's ExecStartPost: the host's own setfacl (package acl, a dependency of the package).
        Files.createDirectories(r.resolve("usr/bin"));
        Files.copy(Path.of("/usr/bin/setfacl"), r.resolve("usr/bin/setfacl"), StandardCopyOption.REPLACE_EXISTING);
        for (String program :
                List.of("usr/local/bin/eavs", "usr/local/bin/hstry", "usr/local/bin/mmry", "usr/bin/mmry")) {
            Path p = r.resolve(program);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "#!/bin/sh\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @AfterAll
    void clean() throws Exception {
        Commands.removeUsersAndTree(List.of(), work);
    }

    private static Commands.Result verify(Path r, Path unit) throws Exception {
        return Commands.run(
                List.of("systemd-analyze", "verify", "--root=" + r, unit.toString()), Duration.ofMinutes(1));
    }

    /** Every unit verifies without a word, and every unit file of {@code source} is among them. */
    private static void verifyAll(Path r, List<String> units, Path source) throws Exception {
        for (String unit : units) {
            Commands.Result result =
                    verify(r, r.resolve("usr/lib/systemd/system").resolve(unit));
            assertEquals("", result.output(), unit);
            assertEquals(0, result.exit(), unit);
        }
        assertEquals(units.size(), count(source), "every unit of " + source + " is checked");
    }

    @Test
    void everySystemUnitVerifies() throws Exception {
        verifyAll(
                root,
                List.of("oqto.service", "oqto-usermgr.service", "mmry-embeddings.service"),
                SYSTEMD.resolve("system"));
    }

    @Test
    void everyUserUnitVerifies() throws Exception {
        Path userRoot = Files.createDirectories(work.resolve("user-root"));
        populate(userRoot);
        List<String> units =
                List.of("oqto-runner.service", "oqto-runner.socket", "eavs.service", "hstry.service", "mmry.service");
        for (String unit : units) {
            Files.copy(
                    root.resolve("usr/lib/systemd/user").resolve(unit),
                    userRoot.resolve("usr/lib/systemd/system").resolve(unit));
        }
        verifyAll(userRoot, units, SYSTEMD.resolve("user"));
    }

    @Test
    void aBrokenUnitFailsVerification() throws Exception {
        // The check itself can fail: an unknown key and a missing program are reported.
        Path bad = root.resolve("usr/lib/systemd/system/oqto-broken.service");
        Files.writeString(bad, "[Unit]\nDescription=x\n[Service]\nExecStart=/opt/oqto/bin/missing\nRestartSecs=1\n");
        Commands.Result r = verify(root, bad);
        Files.delete(bad);
        assertTrue(
                r.exit() != 0
                        && r.output().contains("Unknown key 'RestartSecs'")
                        && r.output().contains("is not executable"),
                r.output());
    }

    @Test
    void theDependencyChainIsTheSeeds() throws Exception {
        Map<String, Map<String, List<String>>> user = units(root.resolve("usr/lib/systemd/user"));
        Map<String, List<String>> runner = user.get("oqto-runner.service");
        List<String> services = List.of("eavs.service", "hstry.service", "mmry.service");
        assertEquals(services, runner.get("After"), "the runner starts after eavs, hstry and mmry");
        assertEquals(services, runner.get("Wants"), "and pulls them in");
        assertEquals(List.of("notify"), runner.get("Type"));
        assertEquals(List.of("default.target"), runner.get("WantedBy"), "started with the user's manager (lingering)");
        // Socket activation: the socket is the runner's usual path, the user's own (0600), the control plane's
        // user granted by ACL as the runner would; it starts the runner's service.
        Map<String, List<String>> socket = user.get("oqto-runner.socket");
        assertEquals(List.of("%t/oqto-runner.sock"), socket.get("ListenStream"));
        assertEquals(List.of("0600"), socket.get("SocketMode"));
        assertEquals(
                List.of("/usr/bin/setfacl", "-m", "u:oqto:rw-", "%t/oqto-runner.sock"), socket.get("ExecStartPost"));
        assertEquals(List.of("oqto-runner.service"), socket.get("Service"));
        assertEquals(List.of("sockets.target"), socket.get("WantedBy"));
        for (String s : services) {
            assertEquals(List.of("oqto-runner.service"), user.get(s).get("Before"), s);
            assertTrue(user.get(s).getOrDefault("After", List.of()).isEmpty(), s + " depends on nothing of ours");
        }
        Map<String, Map<String, List<String>>> system = units(root.resolve("usr/lib/systemd/system"));
        assertEquals(List.of("oqto"), system.get("oqto.service").get("User"));
        assertTrue(system.get("oqto.service").get("After").contains("oqto-usermgr.service"));
        assertEquals(List.of("oqto.service"), system.get("oqto-usermgr.service").get("Before"));
        assertTrue(
                system.get("oqto-usermgr.service")
                        .getOrDefault("User", List.of())
                        .isEmpty(),
                "the helper is the one root process");
        assertEquals(
                List.of("-/home", "-/root"),
                system.get("oqto.service").get("InaccessiblePaths"),
                "the control plane does not see the homes");
    }

    @Test
    void installingAgainKeepsTheOperatorsFiles() throws Exception {
        Path config = root.resolve("etc/oqto/config.toml");
        Files.writeString(config, "# edited by the operator\n");
        Commands.runOk(List.of(SYSTEMD.resolve("install").toString(), "--root", root.toString()));
        assertEquals("# edited by the operator\n", Files.readString(config));
        assertTrue(Files.isDirectory(root.resolve("etc/oqto/skel")));
        assertEquals(
                "enabled = true\nprofile = \"development\"\n", Files.readString(root.resolve("etc/oqto/sandbox.toml")));
        assertEquals(
                Path.of("/opt/oqto/bin/oqtoctl"),
                Files.readSymbolicLink(root.resolve("usr/local/bin/oqtoctl")),
                "oqtoctl on the PATH, as the seed uses it");
    }

    @Test
    void theInstalledConfigurationHoldsNoSecretAndHidesTheSecretsDirectory() throws Exception {
        Path etc = root.resolve("etc/oqto");
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> s = Files.walk(etc, 1)) {
            for (Path p : s.toList()) {
                modes.put(
                        etc.relativize(p).toString(),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
                                + Files.getOwner(p).getName());
            }
        }
        assertEquals(
                Map.of(
                        "",
                        "rwxr-xr-x root",
                        "config.toml",
                        "rw-r--r-- root",
                        "sandbox.toml",
                        "rw-r--r-- root",
                        "skel",
                        "rwxr-xr-x root",
                        "secrets",
                        "rwxr-x--- root",
                        "shared",
                        "rwxr-x--- root"),
                modes);
        String group = Files.readAttributes(etc.resolve("secrets"), PosixFileAttributes.class)
                .group()
                .getName();
        boolean oqtoGroup = Commands.run(List.of("getent", "group", "oqto"), Duration.ofSeconds(10))
                        .exit()
                == 0;
        assertEquals(oqtoGroup ? "oqto" : "root", group, "secrets readable by the control plane's group only");
        String config = Files.readString(etc.resolve("config.toml"));
        assertFalse(config.contains("literal:"), config);
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p ->
                            p.toString().endsWith(".service") || p.toString().endsWith(".socket"))
                    .count();
        }
    }

    /** unit → key → values (space-separated values and repeated keys joined). */
    private static Map<String, Map<String, List<String>>> units(Path dir) throws IOException {
        Map<String, Map<String, List<String>>> all = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path unit : s.filter(p ->
                            p.toString().endsWith(".service") || p.toString().endsWith(".socket"))
                    .toList()) {
                Map<String, List<String>> keys = new LinkedHashMap<>();
                for (String line : Files.readAllLines(unit)) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.startsWith("#")) {
                        List<String> values = keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>());
                        for (String v : line.substring(eq + 1).trim().split("\\s+", -1)) {
                            if (!v.isEmpty()) {
                                values.add(v);
                            }
                        }
                    }
                }
                all.put(unit.getFileName().toString(), keys);
            }
        }
        return all;
    }
}
