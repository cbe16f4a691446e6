package io.oqto.eavs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.eavs.EavsAccessException;
import io.oqto.runner.spi.eavs.EavsAccessException.Reason;
import io.oqto.testing.eavs.FakeEavs;
import io.oqto.testing.llm.FakeLlm;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's side: the key held in a private file, pi's models.json from eavs, the choice checked, failures named. */
class RunnerEavsTest {

    @TempDir
    Path dir;

    private FakeLlm llm;
    private FakeEavs eavs;

    @BeforeEach
    void start() throws Exception {
        llm = new FakeLlm(0);
        eavs = FakeEavs.inFrontOf(llm.baseUrl(), FakeLlm.MODEL, EavsAdminClientTest.MASTER);
    }

    @AfterEach
    void stop() {
        eavs.close();
        llm.close();
    }

    record TestEavsConfig(
            String mode,
            String baseUrl,
            long userPortBase,
            String masterKey,
            double budgetUsd,
            String budgetWindow,
            long rpmLimit,
            long requestTimeoutMs)
            implements EavsConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return EavsConfig.class;
        }
    }

    record TestUserPlaces(String stateDir, String linuxUserPrefix, long uidMin) implements UserPlaces {
        @Override
        public Class<? extends Annotation> annotationType() {
            return UserPlaces.class;
        }
    }

    static final UserPlaces PLACES = new TestUserPlaces("", "oqto_", 2000);

    static EavsConfig config(String baseUrl, String masterKey) {
        return new TestEavsConfig("central", baseUrl, 41000, masterKey, 5, "total", 60, 3000);
    }

    private RunnerEavs runner(String baseUrl, boolean multiUser, String masterKey) {
        return new RunnerEavs(
                config(baseUrl, masterKey),
                PLACES,
                new KeyFile(dir.resolve("config/oqto/eavs.key")),
                multiUser,
                "alice");
    }

    private static Frame setKey(String key) {
        return Frame.of("1", "set_eavs_key").with("key", key);
    }

    @Test
    void theKeyIsKeptOwnerOnlyAndAnsweredByItsHash() throws Exception {
        RunnerEavs r = runner(eavs.baseUrl(), true, "");
        assertNull(r.handle(Frame.of("1", "get_eavs_key")).fields().get("key_hash"), "none held yet");
        IssuedKey k = EavsAdminClientTest.client(eavs.baseUrl(), EavsAdminClientTest.MASTER)
                .issueKey("alice");
        assertEquals(k.keyHash(), r.handle(setKey(k.secret())).fields().get("key_hash"));
        assertEquals(
                k.keyHash(), r.handle(Frame.of("2", "get_eavs_key")).fields().get("key_hash"));
        Path file = dir.resolve("config/oqto/eavs.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(k.secret() + "\n", Files.readString(file));
    }

    @Test
    void aKeyThatIsNotAnEavsKeyIsRefusedAndTheHeldOneStays() throws Exception {
        RunnerEavs r = runner(eavs.baseUrl(), true, "");
        String good = "eavs-" + "A".repeat(32);
        r.handle(setKey(good));
        for (String bad :
                List.of("", "sk-123", "eavs-short", "eavs-" + "A".repeat(31) + "!", "eavs-" + "A".repeat(32) + "\n")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> r.handle(setKey(bad)));
            assertEquals(ErrorCode.INVALID_REQUEST, e.code());
            assertEquals("\"key\" must be an eavs key: eavs- and 32 base62 characters", e.getMessage());
        }
        assertEquals(
                KeyFile.hash(good),
                r.handle(Frame.of("2", "get_eavs_key")).fields().get("key_hash"));
    }

    @Test
    void piModelsComeFromEavsWithTheUsersKeyOwnerOnly() throws Exception {
        RunnerEavs r = runner(eavs.baseUrl(), true, "");
        IssuedKey k = EavsAdminClientTest.client(eavs.baseUrl(), EavsAdminClientTest.MASTER)
                .issueKey("alice");
        r.handle(setKey(k.secret()));
        Path agent = dir.resolve("pi/agent");
        assertEquals(List.of("eavs-fake"), r.writePiModels(agent));
        Path models = agent.resolve("models.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(models)));
        String json = Files.readString(models);
        assertTrue(json.contains("\"baseUrl\":\"" + eavs.baseUrl() + "/fake/v1\""), json);
        assertTrue(json.contains("\"apiKey\":\"" + k.secret() + "\""), json);
        assertTrue(json.contains("\"id\":\"" + FakeLlm.MODEL + "\""), json);

        // Unchanged providers and key: not rewritten; a new key: rewritten.
        Files.setLastModifiedTime(models, java.nio.file.attribute.FileTime.fromMillis(0));
        r.writePiModels(agent);
        assertEquals(0, Files.getLastModifiedTime(models).toMillis());
        r.handle(setKey("eavs-" + "B".repeat(32)));
        r.writePiModels(agent);
        assertNotEquals(0, Files.getLastModifiedTime(models).toMillis());
        assertTrue(Files.readString(models).contains("eavs-" + "B".repeat(32)));
    }

    @Test
    void aMultiUserRunnerWithoutAKeySaysProvisioningGivesOne() {
        RunnerEavs r = runner(eavs.baseUrl(), true, "literal:" + EavsAdminClientTest.MASTER);
        EavsAccessException e = assertThrows(EavsAccessException.class, () -> r.writePiModels(dir.resolve("agent")));
        assertEquals(Reason.NO_KEY, e.reason());
        assertEquals(
                "this user has no eavs key (" + dir.resolve("config/oqto/eavs.key")
                        + "): provisioning gives one (oqtoctl user create, or user-enable after a disable)",
                e.getMessage());
    }

    @Test
    void aSingleUserRunnerIssuesItsOwnKeyOnceWithTheMasterKey() throws Exception {
        RunnerEavs r = runner(eavs.baseUrl(), false, "literal:" + EavsAdminClientTest.MASTER);
        r.writePiModels(dir.resolve("agent"));
        r.writePiModels(dir.resolve("agent"));
        var keys = EavsAdminClientTest.client(eavs.baseUrl(), EavsAdminClientTest.MASTER)
                .keys("alice");
        assertEquals(1, keys.size(), "issued once, then read from its file");
        assertEquals(
                keys.get(0).keyHash(),
                r.handle(Frame.of("1", "get_eavs_key")).fields().get("key_hash"));
    }

    @Test
    void aChoiceEavsDoesNotOfferIsRefusedByName() throws Exception {
        RunnerEavs r = runner(eavs.baseUrl(), true, "");
        r.checkChoice("eavs-fake", FakeLlm.MODEL);
        r.checkChoice(null, FakeLlm.MODEL);
        r.checkChoice(null, null);
        EavsAccessException e = assertThrows(EavsAccessException.class, () -> r.checkChoice("openai", null));
        assertEquals(Reason.UNKNOWN_CHOICE, e.reason());
        assertEquals("provider openai is not one eavs offers (eavs-fake)", e.getMessage());
        e = assertThrows(EavsAccessException.class, () -> r.checkChoice("eavs-fake", "gpt-5"));
        assertEquals("model gpt-5 is not one eavs offers through eavs-fake (" + FakeLlm.MODEL + ")", e.getMessage());
    }

    @Test
    void anEavsThatIsDownFailsTheStartNotTheChoice() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        RunnerEavs r = runner(url, true, "");
        r.handle(setKey("eavs-" + "A".repeat(32)));
        r.checkChoice("eavs-fake", "m"); // cannot be asked: the start says why
        EavsAccessException e = assertThrows(EavsAccessException.class, () -> r.writePiModels(dir.resolve("agent")));
        assertEquals(Reason.UNREACHABLE, e.reason());
        assertEquals("eavs at " + url + " did not answer GET /providers/detail: connection refused", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("agent/models.json")));
    }

    @Test
    void withoutABaseUrlEavsIsOff() {
        RunnerEavs r = runner("", true, "");
        assertEquals(false, r.enabled());
        assertTrue(runner(eavs.baseUrl() + "/", true, "").enabled());
        EavsAccessException e = assertThrows(EavsAccessException.class, () -> r.writePiModels(dir.resolve("agent")));
        assertEquals("eavs is not configured ([eavs] base_url)", e.getMessage());
    }
}
