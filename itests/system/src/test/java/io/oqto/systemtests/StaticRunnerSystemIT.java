package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The runner distribution is a static Karaf: Karaf starts exactly the bundles of {@code etc/startup.properties}, from
 * the install's {@code system/}, with no features service, Maven resolver, file installer or pax-logging, and logs
 * through java.util.logging in the runner's line format.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaticRunnerSystemIT {

    /** What the dynamic framework brought and the static runner must not carry or load. */
    private static final List<String> DYNAMIC_PARTS = List.of(
            "org.apache.karaf.features", "pax-url-aether", "fileinstall", "pax-logging", "configurator", "jaxb");

    private Path work;
    private Distribution dist;
    private Process runner;
    private Path log;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "oqto-sr-");
        dist = Distribution.unpack("oqto.runner.tarball", work.resolve("runner"));
        Path home = Files.createDirectories(work.resolve("home"));
        log = work.resolve("runner.log");
        runner = dist.start(
                "oqto-runner",
                List.of("--socket", work.resolve("r.sock").toString()),
                Map.of(
                        "HOME",
                        home.toString(),
                        "XDG_RUNTIME_DIR",
                        work.toString(),
                        "JAVA_HOME",
                        System.getProperty("java.home")),
                log);
        Commands.waitFor(
                "the runner listening",
                Duration.ofSeconds(60),
                () -> Commands.read(log).contains("runner listening on"),
                log);
    }

    @AfterAll
    void stop() throws Exception {
        Distribution.stopAll(dist);
        Commands.removeUsersAndTree(List.of(), work);
    }

    @Test
    void startupPropertiesListTheRunnersBundlesAndNothingOfTheDynamicFramework() throws Exception {
        List<String> startup = Files.readAllLines(dist.home.resolve("etc/startup.properties")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .toList();
        for (String bundle : List.of(
                "io.oqto.runner.server",
                "io.oqto.agent",
                "io.oqto.history/",
                "io.oqto.hstry/",
                "org.apache.felix.scr",
                "org.apache.felix.configadmin",
                "slf4j-jdk14")) {
            assertTrue(startup.stream().anyMatch(l -> l.contains(bundle)), bundle + " in " + startup);
        }
        for (String line : startup) {
            assertTrue(line.startsWith("reference\\:file\\:"), "run from system/, not copied: " + line);
            for (String part : DYNAMIC_PARTS) {
                assertFalse(line.contains(part), part + ": " + line);
            }
        }
        try (Stream<Path> files = Files.walk(dist.home.resolve("system"))) {
            List<Path> jars = files.filter(Files::isRegularFile).toList();
            assertEquals(startup.size() + 1, jars.size(), "system/ holds the startup bundles and Felix: " + jars);
        }
        assertFalse(Files.exists(dist.home.resolve("lib/jdk9plus")), "no JAXB");
        assertFalse(Files.exists(dist.home.resolve("etc/org.apache.karaf.features.cfg")));
    }

    @Test
    void theRunningRunnerHasOnlyTheInstallsJarsOpenAndNoBundleCopies() throws Exception {
        List<String> jars = Listening.openFiles(runner.pid()).stream()
                .filter(f -> f.endsWith(".jar"))
                .toList();
        assertTrue(jars.stream().anyMatch(j -> j.contains("io.oqto.runner.server")), "the server bundle open: " + jars);
        for (String jar : jars) {
            assertTrue(
                    jar.startsWith(dist.home.resolve("system") + "/") || jar.startsWith(dist.home.resolve("lib") + "/"),
                    "from the install: " + jar);
            for (String part : DYNAMIC_PARTS) {
                assertFalse(jar.contains(part), part + ": " + jar);
            }
        }
    }

    @Test
    void everyLogLineIsInTheRunnersFormatOnStandardErrorAndInItsFile() throws Exception {
        List<String> lines = Files.readAllLines(log);
        assertTrue(
                lines.stream()
                        .anyMatch(
                                l -> l.matches("INFO  \\[oqto-runner-accept\\] RunnerServer: runner listening on .*")),
                Commands.tails(log));
        for (String line : lines) {
            assertTrue(
                    line.matches("(ERROR|WARN |INFO |DEBUG|TRACE) \\[[^\\]]+\\] \\S*: .*"),
                    "a line in the runner's format: " + line);
        }
        Path file = dist.home.resolve("data/log/runner.log.0");
        assertTrue(
                Files.readAllLines(file).stream()
                        .anyMatch(
                                l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^\\]]+\\]"
                                        + " RunnerServer: runner listening on .*")),
                Commands.tails(file));
    }

    @Test
    void sigtermStopsItCleanly() throws Exception {
        Process p = dist.start(
                "oqto-runner",
                List.of("--socket", work.resolve("s.sock").toString()),
                Map.of(
                        "HOME",
                        work.resolve("home").toString(),
                        "XDG_RUNTIME_DIR",
                        work.toString(),
                        "OQTO_RUNNER_BASE",
                        work.resolve("base2").toString(),
                        "JAVA_HOME",
                        System.getProperty("java.home")),
                work.resolve("second.log"));
        Path second = work.resolve("second.log");
        Commands.waitFor(
                "the second runner listening",
                Duration.ofSeconds(60),
                () -> Commands.read(second).contains("runner listening on"),
                second);
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
        assertTrue(Commands.read(second).contains("runner stopped listening on"), Commands.tails(second));
        assertFalse(Files.exists(work.resolve("s.sock")), "the socket is removed");
    }
}
