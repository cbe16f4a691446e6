package io.oqto.mmry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.runner.spi.memory.MemoryDraft;
import io.oqto.runner.spi.memory.MemoryException;
import io.oqto.testing.mmry.FakeMmry;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the connector finds the user's mmry: one configured daemon, or (multi-user) each user's own by uid. */
class MmryComponentTest {

    record TestConfig(String mmryUrl, String mmryKey, long mmryUserPortBase, long uidMin, long mmryTimeoutMs)
            implements MmryConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return MmryConfig.class;
        }
    }

    @TempDir
    Path dir;

    private FakeMmry alicesMmry;
    private int port;
    private Path configHome;
    private Path workspace;

    @BeforeEach
    void start() throws Exception {
        alicesMmry = new FakeMmry(0, "alices-own-key");
        port = Integer.parseInt(alicesMmry.baseUrl().replaceAll(".*:", ""));
        configHome = Files.createDirectories(dir.resolve("config"));
        workspace = Files.createDirectories(dir.resolve("ws"));
    }

    @AfterEach
    void stop() {
        alicesMmry.close();
    }

    /** Per-user mode as a runner of uid 2005 sees it: {@code {port}} in the URL, the key provisioning wrote. */
    private MmryComponent alicesRunner(String mmryKey) {
        return new MmryComponent(
                new TestConfig("http://127.0.0.1:{port}", mmryKey, port - 5, 2000, 5000), 2005, configHome);
    }

    private void provisionedKey(String key) throws Exception {
        Files.createDirectories(configHome.resolve("oqto"));
        Files.writeString(configHome.resolve(MmryComponent.USER_KEY_FILE), key + "\n");
    }

    @Test
    void perUserTheRunnerReachesTheMmryItsUidGivesWithTheProvisionedKey() throws Exception {
        provisionedKey("alices-own-key");
        MmryComponent mmry = alicesRunner("");
        mmry.create(workspace, new MemoryDraft("alice keeps notes", null, null, null));

        MmryStore direct = new MmryStore(new MmryHttp(alicesMmry.baseUrl(), "alices-own-key", Duration.ofSeconds(5)));
        assertEquals(
                List.of("alice keeps notes"),
                direct.list(workspace, null, null, 10, 0).memories().stream()
                        .map(m -> m.content())
                        .toList());
    }

    @Test
    void aMissingOrWrongProvisionedKeyIsUnavailableNamingTheFile() throws Exception {
        MemoryException missing =
                assertThrows(MemoryException.class, () -> alicesRunner("").list(workspace, null, null, 10, 0));
        assertEquals(MemoryException.Kind.UNAVAILABLE, missing.kind());
        assertEquals(
                "the key provisioning wrote, ~/.config/oqto/mmry.key: " + configHome.resolve("oqto/mmry.key")
                        + " does not exist",
                missing.getMessage());

        provisionedKey("bobs-key-by-mistake");
        assertEquals(
                "mmry at http://127.0.0.1:" + port + " (GET /v1/memories): refused the key (the key provisioning"
                        + " wrote, ~/.config/oqto/mmry.key): Invalid API key",
                assertThrows(MemoryException.class, () -> alicesRunner("").list(workspace, null, null, 10, 0))
                        .getMessage());
    }

    @Test
    void anOperatorsKeyReferenceWinsOverTheProvisionedOne() throws Exception {
        provisionedKey("stale");
        Path key = Files.writeString(dir.resolve("mmry.key"), "alices-own-key\n");
        assertEquals(
                0,
                alicesRunner("file:" + key).list(workspace, null, null, 10, 0).total());
    }

    @Test
    void aUidOutsideThePlatformRangeHasNoMmry() throws Exception {
        provisionedKey("alices-own-key");
        MmryComponent outside =
                new MmryComponent(new TestConfig("http://127.0.0.1:{port}", "", 48000, 2000, 5000), 1000, configHome);
        assertEquals(
                "[memory] mmry_url: uid 1000 gives no port: it is below [usermgr] uid_min 2000, so not a platform"
                        + " user's",
                assertThrows(MemoryException.class, () -> outside.list(workspace, null, null, 10, 0))
                        .getMessage());
    }

    @Test
    void oneConfiguredDaemonIsUsedAsItIsWhateverTheUid() throws Exception {
        Path key = Files.writeString(dir.resolve("mmry.key"), "alices-own-key\n");
        MmryComponent single = new MmryComponent(
                new TestConfig(alicesMmry.baseUrl(), "file:" + key, 48000, 2000, 5000), 1000, configHome);
        assertEquals(0, single.list(workspace, null, null, 10, 0).total());
    }
}
