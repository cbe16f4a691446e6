package io.oqto.eavs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.eavs.AdminUsage;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsStatus;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.eavs.UserUsage;
import io.oqto.api.eavs.VirtualKey;
import io.oqto.testing.eavs.FakeEavs;
import io.oqto.testing.llm.FakeLlm;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin client against the eavs double: keys by owner, revocation, usage by period and day, status, refusals. */
class EavsAdminClientTest {

    static final String MASTER = "master-test-key";
    private FakeLlm llm;
    private FakeEavs eavs;
    private EavsAdminClient client;

    static FakeEavs.Provider provider() {
        return new FakeEavs.Provider(
                "fake",
                "openai-compatible",
                "openai-completions",
                List.of(new FakeEavs.Model(FakeLlm.MODEL, 1000, 2000)));
    }

    @BeforeEach
    void start() throws Exception {
        llm = new FakeLlm(0);
        eavs = FakeEavs.inFrontOf(llm.baseUrl(), FakeLlm.MODEL, MASTER);
        client = client(eavs.baseUrl(), MASTER);
    }

    static EavsAdminClient client(String url, String master) {
        return new EavsAdminClient(
                new EavsHttp(url, Duration.ofSeconds(5)), () -> master, new KeyDefaults(2.5, "monthly", 30));
    }

    @AfterEach
    void stop() {
        eavs.close();
        llm.close();
    }

    @Test
    void issuesAKeyOwnedByTheUserWithTheConfiguredBudgetAndRate() {
        IssuedKey k = client.issueKey("alice");
        assertTrue(EavsAdminClient.KEY.matcher(k.secret()).matches(), k.keyId());
        assertEquals(KeyFile.hash(k.secret()), k.keyHash());
        assertFalse(k.toString().contains(k.secret()), "toString leaves the secret out: " + k);
        List<VirtualKey> keys = client.keys("alice");
        assertEquals(1, keys.size());
        VirtualKey v = keys.get(0);
        assertEquals(
                List.of(k.keyId(), "alice", "oqto-user-alice", 2.5, "monthly", 30L, false),
                List.of(
                        v.keyId(),
                        String.valueOf(v.owner()),
                        v.name(),
                        v.budgetUsd(),
                        v.budgetWindow(),
                        v.rpmLimit(),
                        v.disabled()));
        assertEquals(List.of(), client.keys("bob"), "keys belong to their owner only");
    }

    @Test
    void revokingDisablesEveryEnabledKeyOfTheOwnerAndNoOtherOnes() {
        client.issueKey("alice");
        client.issueKey("alice");
        IssuedKey bob = client.issueKey("bob");
        assertEquals(2, client.revokeKeys("alice"));
        assertTrue(client.keys("alice").stream().allMatch(VirtualKey::disabled));
        assertEquals(0, client.revokeKeys("alice"), "nothing left to revoke");
        assertFalse(client.keys("bob").get(0).disabled(), bob.keyId() + " untouched");
    }

    @Test
    void usageIsPerOwnerOverThePeriodAndDayByDay() {
        IssuedKey alice = client.issueKey("alice");
        IssuedKey bob = client.issueKey("bob");
        Instant now = Instant.now();
        eavs.recordUsage(alice.keyHash(), now.minusSeconds(60), "fake", FakeLlm.MODEL, 100, 10, 0.25);
        eavs.recordUsage(alice.keyHash(), now.minus(Duration.ofHours(30)), "fake", FakeLlm.MODEL, 200, 20, 0.5);
        eavs.recordUsage(bob.keyHash(), now.minus(Duration.ofHours(50)), "fake", FakeLlm.MODEL, 300, 30, 1.0);

        UserUsage mine = client.usage("alice", 7);
        assertEquals(
                List.of(2L, 300L, 30L, 0.75),
                List.of(
                        mine.total().requests(),
                        mine.total().inputTokens(),
                        mine.total().outputTokens(),
                        mine.total().costUsd()));
        assertEquals(2, mine.recent().size());
        assertTrue(
                mine.recent().get(0).timestamp().compareTo(mine.recent().get(1).timestamp()) > 0, "newest first");
        assertEquals(1L, client.usage("alice", 1).total().requests(), "one day back sees only the last request");

        AdminUsage all = client.usageByOwner(3);
        assertEquals(
                List.of("bob", "alice"),
                all.total().stream().map(u -> u.owner()).toList(),
                "highest cost first");
        assertEquals(3, all.daily().size());
        assertEquals(
                List.of("alice"),
                all.daily().get(0).owners().stream().map(u -> u.owner()).toList());
        assertEquals(0.5, all.daily().get(1).owners().get(0).costUsd(), 1e-9);
        assertEquals("bob", all.daily().get(2).owners().get(0).owner());
        assertEquals(
                "days must be between 1 and 90, got 0",
                assertThrows(IllegalArgumentException.class, () -> client.usageByOwner(0))
                        .getMessage());
    }

    @Test
    void statusSaysReachableWithProvidersAndKeyCounts() {
        client.issueKey("alice");
        client.issueKey("bob");
        client.revokeKeys("bob");
        assertEquals(new EavsStatus(eavs.baseUrl(), true, null, List.of("fake"), 2, 1), client.status());
    }

    @Test
    void aWrongMasterKeyIsEavssOwnRefusal() {
        EavsException e = assertThrows(
                EavsException.class, () -> client(eavs.baseUrl(), "wrong").issueKey("alice"));
        assertEquals(EavsException.Kind.REFUSED, e.kind());
        assertEquals(401, e.status());
        assertEquals("unauthorized", e.code());
        assertEquals(
                "eavs at " + eavs.baseUrl()
                        + " refused POST /admin/keys: 401 Invalid or missing master key (unauthorized)",
                e.getMessage());
        assertFalse(e.getMessage().contains("wrong"), "the key is not in the message");
        EavsStatus status = client(eavs.baseUrl(), "wrong").status();
        assertTrue(status.reachable());
        assertEquals(-1, status.totalKeys());
        assertTrue(String.valueOf(status.problem()).contains("401"), status.problem());
    }

    @Test
    void anEavsWithoutAdminApiOrKeysSaysSo() throws Exception {
        try (FakeEavs noMaster = new FakeEavs(null, true, URI.create(llm.baseUrl()), List.of(provider()));
                FakeEavs noKeys = new FakeEavs(MASTER, false, URI.create(llm.baseUrl()), List.of(provider()))) {
            EavsException e = assertThrows(
                    EavsException.class,
                    () -> client(noMaster.baseUrl(), MASTER).keys("alice"));
            assertEquals(List.of(403, "admin_disabled"), List.of(e.status(), String.valueOf(e.code())));
            e = assertThrows(
                    EavsException.class, () -> client(noKeys.baseUrl(), MASTER).keys("alice"));
            assertEquals(List.of(503, "keys_disabled"), List.of(e.status(), String.valueOf(e.code())));
        }
    }

    @Test
    void anEavsThatIsDownIsUnreachableWithItsUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        EavsException e =
                assertThrows(EavsException.class, () -> client(url, MASTER).issueKey("alice"));
        assertEquals(EavsException.Kind.UNREACHABLE, e.kind());
        assertEquals("eavs at " + url + " did not answer POST /admin/keys: connection refused", e.getMessage());
        EavsStatus status = client(url, MASTER).status();
        assertEquals(List.of(false, -1L), List.of(status.reachable(), status.totalKeys()));
        assertEquals("eavs at " + url + " did not answer GET /health: connection refused", status.problem());
    }

    @Test
    void anUnreadableMasterKeyIsNamedNotSent() {
        EavsAdminClient noKey = new EavsAdminClient(
                new EavsHttp(eavs.baseUrl(), Duration.ofSeconds(5)),
                () -> SecretReference.resolve("[eavs] master_key", "file:/nonexistent/eavs-master", java.util.Map.of()),
                new KeyDefaults(1, "total", 1));
        EavsException e = assertThrows(EavsException.class, () -> noKey.issueKey("alice"));
        assertEquals("[eavs] master_key: /nonexistent/eavs-master does not exist", e.getMessage());
    }
}
