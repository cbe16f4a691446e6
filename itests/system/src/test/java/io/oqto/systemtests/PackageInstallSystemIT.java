package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Debian package on this machine, as root, the way docs/running.md says (issue 11): {@code apt-get install}
 * of the built {@code .deb}, the seed's workflow with the services started as the package says where systemd is
 * not PID 1, an upgrade over a provisioned user that keeps the operator's configuration, then remove and purge:
 * the services stop, and nothing the package made is left, nothing else changed. Also lintian: no errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackageInstallSystemIT {

    private static final Path INSTALL = Path.of("/usr/lib/oqto");
    private static final String RUNNER = "/usr/lib/oqto/runner/bin/oqto-runner";

    private Path deb;
    private SeedWorkflow seed;
    private Map<String, String> before;
    private String installOutput;

    @BeforeAll
    void setUp() throws Exception {
        seed = new SeedWorkflow("deb");
        try (Stream<Path> s = Files.list(Path.of("../../packaging/debian/target"))) {
            List<Path> built = s.filter(p -> p.getFileName().toString().matches("oqto_.*_all\\.deb"))
                    .toList();
            assertEquals(1, built.size(), "one package in packaging/debian/target (build packaging/debian): " + built);
            deb = Files.copy(built.get(0), seed.work.resolve(built.get(0).getFileName()));
        }
        for (Path p : List.of(INSTALL, Path.of("/etc/oqto"), Path.of("/var/lib/oqto"))) {
            assertFalse(Files.exists(p), p + " exists: this machine has an install, which this test does not touch");
        }
        assertNotEquals(
                0,
                Commands.run(List.of("id", "oqto"), Duration.ofSeconds(10)).exit(),
                "no oqto user before the package");
        before = SeedWorkflow.machine();
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (seed != null) {
                seed.close();
            }
        } finally {
            // A failed run must not leave the package on the machine for the next test (alice is gone by now).
            if (Commands.run(List.of("dpkg-query", "-W", "oqto"), Duration.ofSeconds(30))
                            .exit()
                    == 0) {
                Commands.Result purged = apt("purge", "-y", "oqto");
                assertEquals(0, purged.exit(), purged.output());
            }
        }
    }

    private Commands.Result apt(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                Stream.concat(Stream.of("apt-get", "-q"), Stream.of(args)).toList());
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        return Commands.run(pb, Duration.ofMinutes(5));
    }

    @Test
    @Order(1)
    void installedAsDocumentedItRunsTheSeedsWorkflow() throws Exception {
        List<String> steps = SeedWorkflow.documentedSteps("deb");
        assertEquals("sudo apt-get install ./oqto_*_all.deb", steps.get(0));
        // The install step, with the package's message kept: it must name the documented commands.
        Commands.Result installed = seed.shell(steps.get(0).substring(5) + " -y");
        installOutput = installed.output().replace("\r\n", "\n"); // apt runs dpkg on a terminal of its own
        assertEquals(0, installed.exit(), installOutput);
        List<String> withoutSystemd = SeedWorkflow.documentedSteps("deb-without-systemd");
        for (String command : withoutSystemd) {
            assertTrue(
                    installOutput.contains("\n  " + command + "\n"),
                    "the package prints the documented command " + command + ":\n" + installOutput);
        }
        assertModes();
        seed.runSteps(steps.subList(1, steps.size()), withoutSystemd, RUNNER);

        seed.aliceRunnerMapsTheSharedClassArchive(Path.of("/usr/lib/oqto/runner"));
        seed.aliceChats("first", "hello from the package");
    }

    /** The modes the security invariants require, as the package leaves them. */
    private void assertModes() throws Exception {
        Map<String, String> modes = new TreeMap<>();
        for (String p : List.of(
                "/etc/oqto",
                "/etc/oqto/config.toml",
                "/etc/oqto/sandbox.toml",
                "/etc/oqto/secrets",
                "/etc/oqto/shared",
                "/etc/oqto/skel",
                "/var/lib/oqto",
                "/var/lib/oqto-usermgr",
                "/run/oqto",
                "/usr/lib/oqto/control-plane",
                "/var/lib/mmry",
                "/etc/mmry")) {
            modes.put(
                    p,
                    Commands.runOk(List.of("stat", "-c", "%A %U:%G", p))
                            .output()
                            .strip());
        }
        assertEquals(
                Map.ofEntries(
                        Map.entry("/etc/oqto", "drwxr-xr-x root:root"),
                        Map.entry("/etc/oqto/config.toml", "-rw-r--r-- root:root"),
                        Map.entry("/etc/oqto/sandbox.toml", "-rw-r--r-- root:root"),
                        Map.entry("/etc/oqto/secrets", "drwxr-x--- root:oqto"),
                        Map.entry("/etc/oqto/shared", "drwxr-x--- root:oqto-users"),
                        Map.entry("/etc/oqto/skel", "drwxr-xr-x root:root"),
                        Map.entry("/var/lib/oqto", "drwxr-x--- oqto:oqto"),
                        Map.entry("/var/lib/oqto-usermgr", "drwx------ root:root"),
                        Map.entry("/run/oqto", "drwxr-xr-x root:root"),
                        Map.entry("/usr/lib/oqto/control-plane", "drwxr-xr-x root:root"),
                        // The central embeddings service's (mmry-embeddings.service): its own user's.
                        Map.entry("/var/lib/mmry", "drwxr-x--- mmry:mmry"),
                        Map.entry("/etc/mmry", "drwxr-x--- root:mmry")),
                modes);
        assertFalse(
                Files.readString(SeedWorkflow.CONFIG).contains("literal:"),
                "config.toml, read by every runner, holds no secret");
        try (Stream<Path> files = Files.walk(INSTALL)) {
            List<String> notRoots = files.filter(f -> !Commands.ownerOf(f).equals("root"))
                    .map(Path::toString)
                    .toList();
            assertEquals(List.of(), notRoots, "the install tree is root's");
        }
    }

    @Test
    @Order(2)
    void theDoctorFindsTheInstallWellThenNamesThreeInjectedFaultsWithFixesThatWork() throws Exception {
        Commands.Result healthy = seed.shell("oqtoctl doctor");
        assertEquals(0, healthy.exit(), healthy.output());
        assertTrue(healthy.output().strip().endsWith("all well"), healthy.output());
        assertTrue(healthy.output().contains("ok    runner of alice answers"), healthy.output());
        assertTrue(healthy.output().contains("ok    runner socket of alice"), healthy.output());
        assertFalse(healthy.output().contains("FAIL"), healthy.output());

        Path skel = Path.of("/etc/oqto/skel");
        Path moved = Path.of("/etc/oqto/skel.moved-by-test");
        Files.move(skel, moved);
        try {
            Commands.runOk(List.of("chmod", "0755", "/etc/oqto/secrets"));
            Commands.runOk(List.of("chmod", "o+w", SeedWorkflow.CONFIG.toString()));
            Commands.Result sick = seed.shell("oqtoctl doctor");
            assertEquals(1, sick.exit(), sick.output());
            List<String> problems = sick.output()
                    .lines()
                    .filter(l -> l.startsWith("FAIL") || l.startsWith("      fix:"))
                    .toList();
            assertEquals(
                    List.of(
                            "FAIL  config.toml: /etc/oqto/config.toml is 646 root:root: others may change it",
                            "      fix: chown root /etc/oqto/config.toml && chmod go-w /etc/oqto/config.toml",
                            "FAIL  secrets directory: /etc/oqto/secrets is 755 root:oqto, not 750 root:oqto",
                            "      fix: chown root:oqto /etc/oqto/secrets && chmod 750 /etc/oqto/secrets",
                            "FAIL  skeleton: /etc/oqto/skel is missing: new homes are copied from it",
                            "      fix: install -d -m 0755 /etc/oqto/skel && cp -a /etc/skel/. /etc/oqto/skel/"),
                    problems,
                    sick.output());
            assertTrue(sick.output().strip().endsWith("3 problem(s)"), sick.output());

            // The fixes it prints are commands that work.
            for (String fix : problems.stream()
                    .filter(l -> l.startsWith("      fix:"))
                    .map(l -> l.substring(11))
                    .toList()) {
                Commands.Result fixed = seed.shell(fix);
                assertEquals(0, fixed.exit(), fix + ": " + fixed.output());
            }
            Commands.Result again = seed.shell("oqtoctl doctor");
            assertEquals(0, again.exit(), again.output());
        } finally {
            Commands.run(List.of("chmod", "0750", "/etc/oqto/secrets"), Duration.ofSeconds(10));
            Commands.run(List.of("chmod", "0644", SeedWorkflow.CONFIG.toString()), Duration.ofSeconds(10));
            Commands.removeUsersAndTree(List.of(), skel);
            Files.move(moved, skel);
        }
    }

    @Test
    @Order(3)
    void anUpgradeKeepsTheOperatorsConfigurationAndAlicesRunner() throws Exception {
        long runnerBefore = seed.aliceRunnerAnswers();
        String newerVersion = Commands.runOk(List.of("dpkg-deb", "-f", deb.toString(), "Version"))
                        .output()
                        .strip() + "+1";
        Path newer = newerBuild(newerVersion);
        Commands.Result upgraded = apt("install", "-y", "-o", "Dpkg::Options::=--force-confold", newer.toString());
        assertEquals(0, upgraded.exit(), upgraded.output());
        assertTrue(
                upgraded.output()
                        .contains(
                                "oqto: upgraded; systemd is not running here: restart the helper and the control plane"),
                upgraded.output());
        assertEquals(
                newerVersion,
                Commands.runOk(List.of("dpkg-query", "-W", "-f", "${Version}", "oqto"))
                        .output());
        assertEquals(seed.operatorConfig, Files.readString(SeedWorkflow.CONFIG), "the operator's config.toml is kept");
        assertTrue(
                Files.readString(Path.of("/etc/oqto/config.toml.dpkg-dist")).contains("# the newer default"),
                "the new default lands beside it");
        // Still running through the upgrade...
        assertEquals(runnerBefore, seed.aliceRunnerAnswers());
        // ...and after the operator restarts the services, as the package says: the helper starts alice's runner anew.
        List<String> withoutSystemd = SeedWorkflow.documentedSteps("deb-without-systemd");
        seed.stopBackground();
        seed.runSteps(List.of("sudo systemctl restart oqto-usermgr oqto"), withoutSystemd, RUNNER);
        Commands.waitFor(
                "alice's new runner",
                SeedWorkflow.WAIT,
                () -> {
                    try {
                        return seed.api
                                        .send("GET", "/api/v1/users/me/runner", null, seed.aliceToken)
                                        .statusCode()
                                == 200;
                    } catch (Exception e) {
                        return false;
                    }
                },
                seed.logs());
        assertNotEquals(runnerBefore, seed.aliceRunnerAnswers(), "a new runner, from the new install");
        seed.aliceChats("after-upgrade", "hello after the upgrade");
    }

    /** The same build as {@code version}, its default config.toml changed: dpkg must keep the operator's. */
    private Path newerBuild(String version) throws Exception {
        Path tree = seed.work.resolve("newer");
        Commands.runOk(List.of("dpkg-deb", "-R", deb.toString(), tree.toString()));
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + version));
        Path config = tree.resolve("etc/oqto/config.toml");
        Files.writeString(config, Files.readString(config) + "# the newer default\n");
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(config)));
        Path md5sums = tree.resolve("DEBIAN/md5sums");
        Files.writeString(
                md5sums,
                Files.readString(md5sums)
                        .replaceFirst("(?m)^\\S+  etc/oqto/config.toml$", md5 + "  etc/oqto/config.toml"));
        Path out = seed.work.resolve("oqto_" + version + "_all.deb");
        Commands.Result built = Commands.run(
                List.of("dpkg-deb", "--root-owner-group", "-Zgzip", "-b", tree.toString(), out.toString()),
                Duration.ofMinutes(5));
        assertEquals(0, built.exit(), built.output());
        return out;
    }

    @Test
    @Order(4)
    void removingStopsTheServicesAndPurgingLeavesNothingOfThePackage() throws Exception {
        seed.deleteAlice();
        List<Process> services = List.copyOf(seed.background);
        assertEquals(2, services.size());
        Commands.Result removed = apt("remove", "-y", "oqto");
        assertEquals(0, removed.exit(), removed.output());
        for (Process p : services) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "removing the package stops the helper and the control plane");
        }
        assertEquals(
                List.of(),
                ProcessHandle.allProcesses()
                        .filter(h -> h.info().commandLine().orElse("").contains("/usr/lib/oqto/"))
                        .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                        .toList(),
                "nothing runs from the install");
        assertFalse(Files.exists(INSTALL), "the install tree is gone");
        assertEquals(seed.operatorConfig, Files.readString(SeedWorkflow.CONFIG), "remove keeps the configuration");
        assertTrue(Files.isDirectory(Path.of("/var/lib/oqto")), "and the state");

        // Purge takes the operator's files in /etc/oqto too (the shared key among them), as the documentation says.
        Commands.Result purged = apt("purge", "-y", "oqto");
        assertEquals(0, purged.exit(), purged.output());
        assertFalse(
                Files.exists(Path.of("/tmp/hsperfdata_oqto")), "the service user's perf-data directory went with it");
        Map<String, String> after = SeedWorkflow.machine();
        assertEquals("", changes(before, after), "nothing left, nothing else changed");
    }

    /** Each path (or account file) that differs, with what it was and is (null: not there). */
    private static String changes(Map<String, String> before, Map<String, String> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return keys.stream()
                .filter(k -> !Objects.equals(before.get(k), after.get(k)))
                .map(k -> k + ": " + before.get(k) + " -> " + after.get(k))
                .collect(Collectors.joining("\n"));
    }

    @Test
    @Order(5)
    void lintianFindsNoErrors() throws Exception {
        Commands.Result lintian =
                Commands.run(List.of("lintian", "--tag-display-limit", "0", deb.toString()), Duration.ofMinutes(5));
        List<String> errors =
                lintian.output().lines().filter(l -> l.startsWith("E:")).toList();
        assertEquals(List.of(), errors, lintian.output());
        Map<String, Long> warnings = lintian.output()
                .lines()
                .filter(l -> l.startsWith("W:"))
                .collect(Collectors.groupingBy(
                        l -> l.replaceAll("^W: oqto: (\\S+).*$", "$1"), TreeMap::new, Collectors.counting()));
        System.out.println("lintian warnings (tag: count): " + warnings);
    }
}
