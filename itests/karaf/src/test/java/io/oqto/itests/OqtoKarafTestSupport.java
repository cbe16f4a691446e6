package io.oqto.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Boots one of our real distributions (the tarball the build just made) in Pax Exam. Each test class
 * gets its own directory for sockets and state, passed to the distribution through config.toml.
 */
public abstract class OqtoKarafTestSupport {

    /**
     * Values the test decides in the driver JVM and the probe reads back inside Karaf: both JVMs load
     * this class, so each is passed on as a system property of the container.
     */
    static String shared(String key, Supplier<Object> initial) {
        return System.getProperties()
                .computeIfAbsent("oqto.it." + key, k -> String.valueOf(initial.get()))
                .toString();
    }

    /** Short on purpose: Unix socket paths are limited to 107 bytes. */
    static final Path WORK = Path.of(
            shared("work", () -> "/tmp/oqto-it-" + ProcessHandle.current().pid()));

    static Option[] distribution(String tarballProperty, String name, String configToml) {
        try {
            removeStaleWorkDirectories();
            Files.createDirectories(WORK);
            Path config = WORK.resolve(name + ".toml");
            Files.writeString(config, configToml);
            String tarball = System.getProperty(tarballProperty);
            List<Option> options = new ArrayList<>(List.of(
                    karafDistributionConfiguration()
                            .frameworkUrl("file:" + tarball)
                            .name(name)
                            // Tells Pax Exam to launch with Karaf 4.4's module options (--patch-module etc.).
                            .karafVersion(System.getProperty("oqto.karaf.version", "4.4.10"))
                            .unpackDirectory(new File("target/exam"))
                            .useDeployFolder(false),
                    editConfigurationFilePut("etc/system.properties", "oqto.config", config.toString()),
                    editConfigurationFilePut("etc/system.properties", "oqto.it.work", WORK.toString()),
                    editConfigurationFilePut(
                            "etc/system.properties",
                            "oqto.it.httpPort",
                            shared("httpPort", OqtoKarafTestSupport::freePort)),
                    editConfigurationFilePut("etc/system.properties", "oqto.config.exitOnError", "false"),
                    editConfigurationFilePut("etc/system.properties", "oqto.runner.exitOnSocketFailure", "false"),
                    // Pax Exam installs its own bundles from the local Maven repository; ours ship offline-only.
                    editConfigurationFilePut(
                            "etc/org.ops4j.pax.url.mvn.cfg",
                            "org.ops4j.pax.url.mvn.localRepository",
                            System.getProperty(
                                    "maven.repo.local", System.getProperty("user.home") + "/.m2/repository")),
                    editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
                    new VMOption("-Xmx384m")));
            if (Boolean.getBoolean("oqto.it.keep")) {
                options.add(keepRuntimeFolder());
            }
            return options.toArray(new Option[0]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Removes work directories of earlier runs whose test JVM is gone. (Not an @AfterClass: Pax Exam
     * runs class-level hooks in the container around every single test method.)
     */
    static void removeStaleWorkDirectories() throws IOException {
        try (var dirs = Files.list(WORK.getParent())) {
            for (Path d : dirs.filter(d -> d.getFileName().toString().matches("oqto-it-\\d+"))
                    .toList()) {
                long pid = Long.parseLong(d.getFileName().toString().substring("oqto-it-".length()));
                if (!d.equals(WORK) && ProcessHandle.of(pid).isEmpty()) {
                    try (var paths = Files.walk(d)) {
                        paths.sorted(Comparator.reverseOrder())
                                .forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Bundle bundle(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    static void assertActive(BundleContext context, String... symbolicNames) {
        for (String n : symbolicNames) {
            assertEquals(n + " state", Bundle.ACTIVE, bundle(context, n).getState());
        }
    }

    /** Implementation bundles export nothing, so updating one never forces a refresh of another. */
    static void assertExportsNothing(BundleContext context, String... symbolicNames) {
        for (String n : symbolicNames) {
            assertNull(n + " exports packages", bundle(context, n).getHeaders().get("Export-Package"));
        }
    }

    static void waitFor(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        waitFor(what, timeoutMs, condition, () -> "");
    }

    /** As above; {@code lastSeen} says what was last seen instead, in the failure. */
    static void waitFor(String what, long timeoutMs, BooleanSupplier condition, Supplier<String> lastSeen)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String seen = lastSeen.get();
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what
                        + (seen.isEmpty() ? "" : "; last seen: " + seen));
            }
            Thread.sleep(50);
        }
    }
}
