package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The tarball install of docs/running.md, literally, as root (issue 11): both tarballs unpacked into /opt,
 * {@code sh /opt/oqto/systemd/install}, the services started with the commands it prints where systemd is not
 * PID 1, then the seed's workflow. The install tree stays root's and unwritten. Everything it made is removed
 * afterwards (the tarballs have no uninstaller: the operator removes the directories and the units).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TarballInstallSystemIT {

    private static final List<Path> MADE = List.of(
            Path.of("/opt/oqto"),
            Path.of("/opt/oqto-runner"),
            Path.of("/etc/oqto"),
            Path.of("/var/lib/oqto"),
            Path.of("/var/lib/oqto-usermgr"),
            Path.of("/var/lib/mmry"),
            Path.of("/etc/mmry"),
            Path.of("/run/oqto"),
            Path.of("/usr/local/bin/oqtoctl"),
            Path.of("/usr/lib/tmpfiles.d/oqto.conf"),
            Path.of("/tmp/hsperfdata_oqto"));

    private SeedWorkflow seed;

    @BeforeAll
    void setUp() throws Exception {
        seed = new SeedWorkflow("tarball");
        for (Path p : MADE) {
            // NOFOLLOW_LINKS: a link left by an earlier install counts, even when what it named is gone.
            assertFalse(
                    Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                    p + " exists: this machine has an install, which this test does not touch");
        }
        // The operator's download folder: the two tarballs side by side.
        for (String property : List.of("oqto.controlPlane.tarball", "oqto.runner.tarball")) {
            Path tarball = Path.of(System.getProperty(property));
            Files.copy(tarball, seed.work.resolve(tarball.getFileName()));
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (seed != null) {
                seed.close();
            }
        } finally {
            for (String unit : List.of(
                    "system/oqto.service",
                    "system/oqto-usermgr.service",
                    "system/mmry-embeddings.service",
                    "user/oqto-runner.service",
                    "user/oqto-runner.socket",
                    "user/eavs.service",
                    "user/hstry.service",
                    "user/mmry.service")) {
                Files.deleteIfExists(Path.of("/usr/lib/systemd", unit));
            }
            for (Path p : MADE) {
                if (Files.isSymbolicLink(p)) {
                    Files.delete(
                            p); // the link itself (oqtoctl's), which the tree removal would not see once /opt/oqto is
                    // gone
                } else {
                    Commands.removeUsersAndTree(List.of(), p);
                }
            }
            Commands.run(List.of("userdel", "oqto"), Duration.ofSeconds(30));
            Commands.run(List.of("groupdel", "oqto"), Duration.ofSeconds(30));
            Commands.run(List.of("userdel", "mmry"), Duration.ofSeconds(30));
            Commands.run(List.of("groupdel", "mmry"), Duration.ofSeconds(30));
            Commands.run(List.of("groupdel", "oqto-users"), Duration.ofSeconds(30));
        }
    }

    @Test
    void theDocumentedStepsRunTheSeedsWorkflow() throws Exception {
        List<String> steps = SeedWorkflow.documentedSteps("tarball");
        int installStep = steps.indexOf("sudo sh /opt/oqto/systemd/install");
        assertTrue(installStep > 0, "the documented steps run systemd/install: " + steps);
        seed.runSteps(steps.subList(0, installStep), List.of(), null);

        // systemd/install says what to run where systemd is not PID 1: the documented commands.
        List<String> withoutSystemd = SeedWorkflow.documentedSteps("tarball-without-systemd");
        Commands.Result installed = seed.shell("sh /opt/oqto/systemd/install");
        assertEquals(0, installed.exit(), installed.output());
        assertTrue(
                installed.output().contains("oqto-runner-cds: wrote /opt/oqto-runner/lib/oqto-runner.jsa ("),
                installed.output());
        // From here on the install tree is the services': they may not write into it.
        Path marker = Files.createFile(seed.work.resolve("installed"));
        for (String command : withoutSystemd) {
            assertTrue(
                    installed.output().contains("\n  " + command + "\n"),
                    "systemd/install prints " + command + ":\n" + installed.output());
        }
        seed.runSteps(steps.subList(installStep + 1, steps.size()), withoutSystemd, "/opt/oqto-runner/bin/oqto-runner");

        seed.aliceRunnerMapsTheSharedClassArchive(Path.of("/opt/oqto-runner"));
        seed.aliceChats("first", "hello from the tarball");
        seed.deleteAlice();

        for (Path tree : List.of(Path.of("/opt/oqto"), Path.of("/opt/oqto-runner"))) {
            try (Stream<Path> files = Files.walk(tree)) {
                List<String> changed = files.filter(f -> !Commands.ownerOf(f).equals("root")
                                || (f.toFile().lastModified() > marker.toFile().lastModified()
                                        && Files.isRegularFile(f)))
                        .map(Path::toString)
                        .toList();
                assertEquals(List.of(), changed, "the install tree is root's and the services wrote nothing into it");
            }
        }
    }
}
