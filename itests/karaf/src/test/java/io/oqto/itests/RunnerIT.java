package io.oqto.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.oqto.runner.spi.sandbox.SandboxService;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The runner's bundles in Karaf: their socket, and hot swaps of each. The runner distribution is static (no features
 * service, which Pax Exam needs to put its probe in), so its features are installed here into the control-plane
 * distribution, which carries them; the static distribution itself is started as a process by the system tests.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RunnerIT extends OqtoKarafTestSupport {

    static final Path SOCKET = WORK.resolve("runner.sock");
    static final Path WORKSPACE = WORK.resolve("ws");

    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Inject
    org.osgi.service.cm.ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return distribution(
                "oqto.controlPlane.tarball",
                "runner",
                "[server]\nport = " + shared("httpPort", OqtoKarafTestSupport::freePort) + "\nstate_dir = \""
                        + WORK.resolve("cp-state") + "\"\n"
                        + "[runner]\nsocket = \"" + SOCKET + "\"\n" + "[workspace]\nroot = \"" + WORKSPACE + "\"\n"
                        // Off unless a test turns a store on: the stores keep their files in the real home.
                        + "[history]\nstore = \"off\"\n");
    }

    /** The runner's features, as the static runner distribution lists them (karaf-assembly/runner). */
    @Before
    public void installRunner() throws Exception {
        for (String feature : RUNNER_FEATURES) {
            if (!features.isInstalled(features.getFeature(feature))) {
                features.installFeature(feature);
            }
        }
    }

    static final String[] RUNNER_FEATURES = {"oqto-runner", "oqto-history-embedded", "oqto-history-hstry"};

    private static String hello(RunnerSocketClient c) throws Exception {
        return c.call("{\"id\":\"h\",\"type\":\"hello\",\"protocol\":\"1.0\"}");
    }

    @Test
    public void featuresInstallAndBundlesAreActive() throws Exception {
        for (String feature : RUNNER_FEATURES) {
            assertTrue(feature, features.isInstalled(features.getFeature(feature)));
        }
        assertActive(
                context,
                "io.oqto.api",
                "io.oqto.config",
                "io.oqto.runner.protocol",
                "io.oqto.junixsocket",
                "io.oqto.runner.server",
                "io.oqto.workspace",
                "io.oqto.sandbox",
                "io.oqto.process",
                "io.oqto.eavs",
                "io.oqto.agent",
                "io.oqto.memory");
        assertExportsNothing(
                context,
                "io.oqto.config",
                "io.oqto.runner.server",
                "io.oqto.workspace",
                "io.oqto.sandbox",
                "io.oqto.process",
                "io.oqto.eavs",
                "io.oqto.agent",
                "io.oqto.memory");
        waitFor("the sandbox policy service", 20_000, () -> context.getServiceReference(SandboxService.class) != null);
    }

    @Test
    public void answersOnItsSocket() throws Exception {
        waitFor("runner socket", 20_000, () -> Files.exists(SOCKET));
        try (RunnerSocketClient c = new RunnerSocketClient(SOCKET)) {
            assertTrue(hello(c).contains("\"type\":\"welcome\""));
            String status = c.call("{\"id\":\"s\",\"type\":\"status\"}");
            assertTrue(status, status.contains("\"socket\":\"" + SOCKET + "\""));
        }
    }

    @Test
    public void workspaceFilesOverTheSocketStayInsideTheWorkspace() throws Exception {
        waitFor("runner socket", 20_000, () -> Files.exists(SOCKET));
        try (RunnerSocketClient c = new RunnerSocketClient(SOCKET)) {
            waitFor("file operations advertised", 20_000, () -> {
                try {
                    return hello(c).contains("\"write_file\"");
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(
                    "{\"id\":\"w\",\"type\":\"file_written\",\"path\":\"notes/a.txt\",\"bytes_written\":2}",
                    c.call("{\"id\":\"w\",\"type\":\"write_file\",\"path\":\"notes/a.txt\",\"data_base64\":\"aGk=\","
                            + "\"create_parents\":true}"));
            assertEquals("hi", Files.readString(WORKSPACE.resolve("notes/a.txt")));
            // Processes run in the workspace; single-user mode without a sandbox policy runs them unsandboxed.
            String spawned =
                    c.call("{\"id\":\"s\",\"type\":\"spawn_process\",\"name\":\"w\",\"argv\":[\"/bin/sh\",\"-c\","
                            + "\"echo made > spawned.txt\"],\"cwd\":\"notes\"}");
            assertTrue(spawned, spawned.contains("\"type\":\"process_spawned\""));
            waitFor(
                    "the spawned process wrote in the workspace",
                    10_000,
                    () -> Files.exists(WORKSPACE.resolve("notes/spawned.txt")));
            String escape = c.call("{\"id\":\"e\",\"type\":\"read_file\",\"path\":\"../runner.toml\"}");
            assertEquals(
                    "{\"id\":\"e\",\"type\":\"error\",\"code\":\"path_not_allowed\","
                            + "\"message\":\"path ../runner.toml is not allowed: it contains ..\"}",
                    escape);
        }
    }

    @Test
    public void serverBundleUpdateRebindsTheSocketAndDropsNoThreads() throws Exception {
        waitFor("runner socket", 20_000, () -> Files.exists(SOCKET));
        Bundle server = bundle(context, "io.oqto.runner.server");
        for (int i = 0; i < 3; i++) {
            server.update();
            waitFor("socket back after update " + i, 20_000, () -> {
                try (RunnerSocketClient c = new RunnerSocketClient(SOCKET)) {
                    return hello(c).contains("welcome");
                } catch (Exception e) {
                    return false;
                }
            });
        }
        try (RunnerSocketClient c = new RunnerSocketClient(SOCKET)) {
            hello(c);
            assertEquals("{\"id\":\"p\",\"type\":\"pong\"}", c.call("{\"id\":\"p\",\"type\":\"ping\"}"));
        }
        waitFor(
                "exactly one accept thread",
                5_000,
                () -> Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> t.getName().equals("oqto-runner-accept"))
                                .count()
                        == 1);
    }

    @Test
    public void processBundleUpdateEndsItsProcessesAndSubscriptionsAndReleasesItsThreads() throws Exception {
        waitFor("runner socket", 20_000, () -> Files.exists(SOCKET));
        try (RunnerSocketClient c = new RunnerSocketClient(SOCKET)) {
            waitFor("process operations advertised", 20_000, () -> {
                try {
                    return hello(c).contains("\"subscribe_output\"");
                } catch (Exception e) {
                    return false;
                }
            });
            String spawned =
                    c.call("{\"id\":\"s\",\"type\":\"spawn_process\",\"name\":\"long\",\"argv\":[\"/bin/sh\",\"-c\","
                            + "\"echo hello; exec sleep 300\"]}");
            assertTrue(spawned, spawned.contains("\"type\":\"process_spawned\""));
            long pid = Long.parseLong(spawned.replaceAll(".*\"pid\":(\\d+).*", "$1"));
            // Events may come before the subscribed reply: the first line read may already be one.
            String line = c.call("{\"id\":\"sub\",\"type\":\"subscribe_output\",\"name\":\"long\"}");
            while (!line.contains("\"type\":\"output\"")) {
                line = c.next();
            }
            assertTrue(line, line.contains("\"text\":\"hello\"") && line.contains("\"subscription\":\"sub\""));

            bundle(context, "io.oqto.process").update();
            // The old component stops its processes and ends the subscription before it goes.
            line = c.next();
            while (!line.contains("subscription_ended")) {
                line = c.next();
            }
            assertTrue(line, line.contains("\"reason\":\"runner stopping\""));
            assertTrue(
                    "the process ended with its bundle",
                    ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
            waitFor(
                    "no output pump or subscription thread left",
                    10_000,
                    () -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.getName().startsWith("oqto-process-std")
                                    || t.getName().startsWith("oqto-subscription")));
            for (String single : new String[] {"oqto-process-launcher", "oqto-process-restart"}) {
                waitFor(
                        "one " + single + " thread (the new bundle's)",
                        10_000,
                        () -> Thread.getAllStackTraces().keySet().stream()
                                        .filter(t -> t.getName().equals(single))
                                        .count()
                                <= 1);
            }
            waitFor("spawning works again", 20_000, () -> {
                try {
                    return c.call(
                                    "{\"id\":\"again\",\"type\":\"spawn_process\",\"name\":\"again\",\"argv\":[\"/bin/true\"]}")
                            .contains("process_spawned");
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    public void agentBundleUpdateEndsItsSessionsAndSubscriptionsAndReleasesItsThreads() throws Exception {
        waitFor("runner socket", 20_000, () -> Files.exists(SOCKET));
        try (RunnerSocketClient c = new RunnerSocketClient(SOCKET)) {
            waitFor("session operations advertised", 20_000, () -> {
                try {
                    return hello(c).contains("\"create_session\"");
                } catch (Exception e) {
                    return false;
                }
            });
            // No pi is installed in this Karaf: the session's start fails at its first stage, and says so.
            assertTrue(c.call("{\"id\":\"c\",\"type\":\"create_session\",\"session\":\"hot\"}")
                    .contains("\"session_created\""));
            String line = c.call("{\"id\":\"sub\",\"type\":\"subscribe_session\",\"session\":\"hot\"}");
            while (!line.contains("\"stage\":\"spawning\"") || !line.contains("session.error")) {
                line = c.next();
            }
            assertTrue(line, line.contains("[programs] pi:"));

            bundle(context, "io.oqto.agent").update();
            line = c.next();
            while (!line.contains("subscription_ended")) {
                line = c.next();
            }
            assertTrue(line, line.contains("\"reason\":\"runner stopping\""));
            waitFor(
                    "no session subscription thread left",
                    10_000,
                    () -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.getName().startsWith("oqto-subscription subscribe_session")));
            waitFor(
                    "one watchdog (the new bundle's)",
                    10_000,
                    () -> Thread.getAllStackTraces().keySet().stream()
                                    .filter(t -> t.getName().equals("oqto-session-watchdog"))
                                    .count()
                            == 1);
            waitFor("sessions served again, the old ones gone", 20_000, () -> {
                try {
                    return c.call("{\"id\":\"l\",\"type\":\"list_sessions\"}")
                            .equals("{\"id\":\"l\",\"type\":\"session_list\",\"sessions\":[],\"subscriptions\":0,"
                                    + "\"history\":{\"store\":\"off\",\"waiting\":0}}");
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    public void theEavsKeyIsKeptOwnerOnlyAndAnEavsUpdateLeavesTheSessionsRunning() throws Exception {
        waitFor("runner socket", 20_000, () -> Files.exists(SOCKET));
        Path keyFile = io.oqto.api.unix.Home.config().resolve("oqto").resolve("eavs.key");
        byte[] before = Files.exists(keyFile) ? Files.readAllBytes(keyFile) : null;
        try (RunnerSocketClient c = new RunnerSocketClient(SOCKET)) {
            waitFor("eavs and session operations advertised", 20_000, () -> {
                try {
                    String welcome = hello(c);
                    return welcome.contains("\"set_eavs_key\"") && welcome.contains("\"create_session\"");
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(
                    "{\"id\":\"bad\",\"type\":\"error\",\"code\":\"invalid_request\","
                            + "\"message\":\"\\\"key\\\" must be an eavs key: eavs- and 32 base62 characters\"}",
                    c.call("{\"id\":\"bad\",\"type\":\"set_eavs_key\",\"key\":\"sk-real-provider-key\"}"));
            String key = "eavs-" + "k".repeat(32);
            // sha256("eavs-" + 32 × "k"), as eavs stores it
            String hash = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(
                    "{\"id\":\"k\",\"type\":\"eavs_key\",\"key_hash\":\"" + hash + "\"}",
                    c.call("{\"id\":\"k\",\"type\":\"set_eavs_key\",\"key\":\"" + key + "\"}"));
            assertEquals(
                    "rw-------",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));

            assertTrue(c.call("{\"id\":\"c\",\"type\":\"create_session\",\"session\":\"kept\"}")
                    .contains("\"session_created\""));
            Bundle eavs = bundle(context, "io.oqto.eavs");
            eavs.update();
            assertEquals(Bundle.ACTIVE, eavs.getState());
            waitFor("the key answered by the updated bundle", 20_000, () -> {
                try {
                    return c.call("{\"id\":\"g\",\"type\":\"get_eavs_key\"}").contains(hash);
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(
                    "the agent sessions did not restart with the eavs bundle",
                    c.call("{\"id\":\"l\",\"type\":\"list_sessions\"}").contains("\"id\":\"kept\""));
            c.call("{\"id\":\"d\",\"type\":\"delete_session\",\"session\":\"kept\"}");
        } finally {
            if (before == null) {
                Files.deleteIfExists(keyFile);
            } else {
                Files.write(keyFile, before);
            }
        }
    }

    @Test
    public void theHistoryStoreFollowsTheConfigurationAndEachStoreBundleSwapsCleanly() throws Exception {
        org.osgi.service.cm.Configuration history = configAdmin.getConfiguration("oqto.history", "?");
        java.util.Dictionary<String, Object> before = history.getProperties();
        try {
            history.update(org.osgi.framework.FrameworkUtil.asDictionary(java.util.Map.of("store", "embedded")));
            waitFor("the embedded store, and only it", 60_000, () -> "embedded".equals(storeKind()) && stores() == 1);
            assertExportsNothing(context, "io.oqto.history");
            bundle(context, "io.oqto.history").update();
            waitFor("the embedded store back after its bundle's update", 20_000, () -> "embedded".equals(storeKind()));

            history.update(org.osgi.framework.FrameworkUtil.asDictionary(java.util.Map.of("store", "hstry")));
            waitFor(
                    "the hstry connector, and the embedded store gone",
                    60_000,
                    () -> "hstry".equals(storeKind()) && stores() == 1);
            assertExportsNothing(context, "io.oqto.hstry");
            for (Bundle b : context.getBundles()) {
                assertFalse(
                        "gRPC is inside io.oqto.hstry only: " + b.getSymbolicName(),
                        String.valueOf(b.getSymbolicName()).startsWith("io.grpc")
                                || String.valueOf(b.getSymbolicName()).contains("protobuf"));
            }
            bundle(context, "io.oqto.hstry").update();
            waitFor("the hstry connector back after its bundle's update", 20_000, () -> "hstry".equals(storeKind()));

            history.update(org.osgi.framework.FrameworkUtil.asDictionary(java.util.Map.of("store", "off")));
            waitFor("no store", 60_000, () -> stores() == 0);
            waitFor(
                    "no gRPC or hstry thread left",
                    10_000,
                    () -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.getName().startsWith("oqto-hstry")
                                    || t.getName().startsWith("grpc")));
        } finally {
            history.update(
                    before == null
                            ? org.osgi.framework.FrameworkUtil.asDictionary(java.util.Map.of("store", "off"))
                            : before);
        }
    }

    private String storeKind() {
        var ref = context.getServiceReference(io.oqto.runner.spi.history.HistoryStore.class);
        if (ref == null) {
            return null;
        }
        var store = context.getService(ref);
        try {
            return store == null ? null : store.kind();
        } finally {
            context.ungetService(ref);
        }
    }

    /** How many history stores are active: at most the chosen one. */
    private int stores() {
        try {
            var refs = context.getServiceReferences(io.oqto.runner.spi.history.HistoryStore.class, null);
            return refs.size();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void memoriesOutliveAnUpdateOfTheirBundlesAndTheBundlesExportNothing() throws Exception {
        waitFor("runner socket", 20_000, () -> Files.exists(SOCKET));
        assertExportsNothing(context, "io.oqto.memory", "io.oqto.mmry");
        try (RunnerSocketClient c = new RunnerSocketClient(SOCKET)) {
            waitFor("memory operations advertised", 20_000, () -> {
                try {
                    return hello(c).contains("\"create_memory\"");
                } catch (Exception e) {
                    return false;
                }
            });
            String made = c.call("{\"id\":\"m\",\"type\":\"create_memory\",\"content\":\"kept across updates\"}");
            assertTrue(made, made.contains("\"type\":\"memory\""));
            bundle(context, "io.oqto.memory").update();
            bundle(context, "io.oqto.mmry").update();
            waitFor("the memory, from the updated bundle", 20_000, () -> {
                try {
                    return c.call("{\"id\":\"l\",\"type\":\"list_memories\"}").contains("kept across updates");
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(Bundle.ACTIVE, bundle(context, "io.oqto.mmry").getState());
        }
    }
}
