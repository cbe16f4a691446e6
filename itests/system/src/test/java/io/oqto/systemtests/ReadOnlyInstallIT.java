package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The control plane as docs/running.md installs it where systemd is not PID 1: the tarball unpacked by root
 * (the install tree root's, read-only to the service), started as {@code oqto} in multi-user mode with the
 * documented command. Its state must go to {@code /var/lib/oqto/control-plane}, nothing may be written into
 * the install, and a state directory it cannot write must stop it at once, naming the path (issue 11).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadOnlyInstallIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path VAR_LIB = Path.of("/var/lib/oqto");
    private static final Path BASE = VAR_LIB.resolve("control-plane");

    private Path work;
    private Distribution install;
    private Path marker;
    private Path config;
    private ControlPlaneApi api;
    private boolean createdServiceUser;
    private boolean createdVarLib;

    @BeforeAll
    void unpack() throws Exception {
        assertEquals(
                "0",
                Commands.runOk(List.of("id", "-u")).output().strip(),
                "installing needs root (CI has it); no skip");
        assertFalse(
                Files.exists(BASE),
                BASE + " exists: a real install is on this machine, and this test does not touch it");
        if (Commands.run(List.of("id", "-u", "oqto"), Duration.ofSeconds(10)).exit() != 0) {
            Commands.runOk(List.of(
                    "useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "oqto"));
            createdServiceUser = true;
        }
        work = Files.createTempDirectory(Path.of("/tmp"), "oqto-ro-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        install = Distribution.unpack("oqto.controlPlane.tarball", work.resolve("opt/oqto"));
        api = new ControlPlaneApi(Commands.freePort());
        config = Files.writeString(work.resolve("config.toml"), "[server]\nport = " + api.port + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        marker = Files.createFile(work.resolve("installed"));
    }

    @AfterAll
    void clean() throws Exception {
        try {
            Distribution.stopAll(install);
        } finally {
            if (createdVarLib) {
                Commands.removeUsersAndTree(List.of(), VAR_LIB);
            }
            if (createdServiceUser) {
                Commands.endProcessesOf("oqto");
                Commands.removeUsersAndTree(List.of(), Path.of("/tmp/hsperfdata_oqto"));
                Commands.run(List.of("userdel", "oqto"), Duration.ofSeconds(30));
            }
            Commands.removeUsersAndTree(List.of(), work);
        }
    }

    /** The documented command: runuser -u oqto -- env HOME=/var/lib/oqto OQTO_MODE=multi-user OQTO_CONFIG=… bin/oqto */
    private Process start(Path log) throws Exception {
        return install.startAs(
                "oqto",
                "oqto",
                List.of(),
                Map.of(
                        "HOME",
                        VAR_LIB.toString(),
                        "OQTO_MODE",
                        "multi-user",
                        "OQTO_CONFIG",
                        config.toString(),
                        "JAVA_HOME",
                        System.getProperty("java.home")),
                log);
    }

    @Test
    @Order(1)
    void withoutAWritableStateDirectoryItStopsAtOnceNamingThePath() throws Exception {
        // /var/lib/oqto does not exist yet (systemd's StateDirectory or tmpfiles would make it): /var/lib is root's.
        if (!Files.exists(VAR_LIB)) {
            Path log = work.resolve("refused.log");
            Process p = start(log);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stops at once" + Commands.tails(log));
            assertEquals(73, p.exitValue(), Commands.tails(log));
            assertEquals(
                    "oqto: cannot write " + BASE
                            + " as oqto (/var/lib: root:root 755): the control plane keeps its state "
                            + "there; make it writable for oqto, or set OQTO_BASE\n",
                    Files.readString(log));
        }
        if (!Files.exists(VAR_LIB)) {
            Files.createDirectory(VAR_LIB);
            createdVarLib = true;
        }
        Commands.runOk(List.of("chown", "oqto:oqto", VAR_LIB.toString()));
        Files.setPosixFilePermissions(VAR_LIB, PosixFilePermissions.fromString("rwxr-x---"));
    }

    @Test
    @Order(2)
    void itRunsFromARootOwnedInstallAndWritesNothingIntoIt() throws Exception {
        Path log = work.resolve("cp.log");
        start(log);
        Commands.waitFor("control plane health", WAIT, () -> api.status("/api/health") == 200, log);
        assertTrue(
                Files.exists(BASE.resolve("karaf.pid"))
                        && Files.exists(BASE.resolve("lock"))
                        && Files.isDirectory(BASE.resolve("etc"))
                        && Files.isDirectory(BASE.resolve("data/log")),
                "Karaf's state in " + BASE);
        Commands.waitFor("the console key", WAIT, () -> Files.exists(BASE.resolve("data/operator.key")), log);
        // Root finds the console through the control plane's state, as oqtoctl does.
        Commands.Result token = Commands.run(
                List.of(install.home.resolve("bin/oqto-shell").toString(), "oqto:token-create --role admin ops"), WAIT);
        assertEquals(0, token.exit(), token.output());
        Commands.printedToken(token);
        try (Stream<Path> files = Files.walk(install.home)) {
            List<String> changed = files.filter(
                            f -> f.toFile().lastModified() > marker.toFile().lastModified()
                                    || !Commands.ownerOf(f).equals("root"))
                    .map(Path::toString)
                    .toList();
            assertEquals(List.of(), changed, "the install tree is untouched and root's");
        }
    }

    @Test
    @Order(3)
    void aChangedInstallStartsFromAFreshBundleCacheAndTheSameInstallKeepsIt() throws Exception {
        // Karaf would otherwise keep the cached bundles of the old install at the same locations after an upgrade.
        Path cached = BASE.resolve("data/cache/kept-across-restarts");
        Files.writeString(cached, "x");
        String operatorKey = Files.readString(BASE.resolve("data/operator.key"));
        restart("same.log");
        assertTrue(Files.exists(cached), "the same install keeps its bundle cache");
        Files.writeString(install.home.resolve("lib/ext/upgraded"), "a file of a newer install\n");
        restart("upgraded.log");
        assertFalse(Files.exists(cached), "a different install starts from a fresh bundle cache");
        assertTrue(Files.isDirectory(BASE.resolve("data/cache")), "which Karaf fills again");
        // The install's etc/ is copied again, but not over the console key's public half the control plane wrote
        // (which would make it a new pair once it finds its half gone).
        Commands.waitFor(
                "the console key in place",
                WAIT,
                () -> Commands.read(BASE.resolve("etc/keys.properties")).contains("\noqto = "));
        assertEquals(
                operatorKey, Files.readString(BASE.resolve("data/operator.key")), "the console operator key is kept");
        Commands.Result console = Commands.run(
                List.of(
                        install.home.resolve("bin/oqto-shell").toString(),
                        "oqto:token-create --role admin after-upgrade"),
                WAIT);
        assertEquals(0, console.exit(), console.output());
        Commands.printedToken(console);
    }

    private void restart(String logName) throws Exception {
        install.stopAll();
        Commands.waitFor("the control plane gone", WAIT, () -> api.status("/api/health") != 200);
        Path log = work.resolve(logName);
        start(log);
        Commands.waitFor("control plane health", WAIT, () -> api.status("/api/health") == 200, log);
    }
}
