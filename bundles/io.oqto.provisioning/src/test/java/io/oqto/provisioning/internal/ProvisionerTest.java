package io.oqto.provisioning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenService;
import io.oqto.api.runner.ErrorCode;
import io.oqto.api.runner.PingResult;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.eavs.EavsKey;
import io.oqto.api.runner.eavs.GetEavsKey;
import io.oqto.api.runner.eavs.SetEavsKey;
import io.oqto.api.unix.UserPorts;
import io.oqto.api.users.NewUser;
import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.ProvisionedUser;
import io.oqto.api.users.ProvisioningException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provisioning steps against a scripted helper: order, convergence, and undoing a failed run. */
class ProvisionerTest {

    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();
    private final List<String> revoked = new ArrayList<>();
    private String failAt;
    private boolean accountExists;
    private int pingsUntilReady;
    private final AtomicInteger pings = new AtomicInteger();
    private UserRecords records;
    private final InMemoryEavs eavs = new InMemoryEavs();
    /** The hash of the key alice's runner holds (what get_eavs_key answers). */
    private String runnerKeyHash;

    private boolean runnerRefusesKeys;
    private RunnerGateway runners;
    private Provisioner provisioner;

    private Helper helper;
    private TokenService tokens;

    @BeforeEach
    void setUp() throws IOException {
        records = new UserRecords(dir.resolve("users"));
        helper = (cmd, args) -> {
            calls.add(cmd + " " + new TreeMap<>(args));
            if (cmd.equals(failAt)) {
                throw new ProvisioningException(ProvisioningException.Kind.FAILED, cmd, cmd + " broke");
            }
            return switch (cmd) {
                case "create-user" -> Map.of("username", args.get("username"), "uid", 2345, "created", !accountExists);
                case "start-services" ->
                    Map.of("started", List.of("oqto-runner"), "not_installed", List.of("eavs", "hstry", "mmry"));
                case "delete-user" -> Map.of("existed", true);
                default -> Map.of();
            };
        };
        runners = (RunnerGateway) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {RunnerGateway.class}, (proxy, method, args) -> {
                    if (method.getName().equals("call") && args[1] instanceof GetEavsKey) {
                        return new EavsKey(runnerKeyHash);
                    }
                    if (method.getName().equals("call") && args[1] instanceof SetEavsKey set) {
                        if (runnerRefusesKeys) {
                            throw new RunnerErrorException(ErrorCode.IO_ERROR, "cannot write ~/.config/oqto/eavs.key");
                        }
                        runnerKeyHash = InMemoryEavs.hash(set.key());
                        return new EavsKey(runnerKeyHash);
                    }
                    if (!method.getName().equals("ping")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (pings.incrementAndGet() <= pingsUntilReady) {
                        throw new RunnerUnavailableException("not yet");
                    }
                    return new PingResult((String) args[0], 100);
                });
        tokens = new TokenService() {
            @Override
            public Optional<Caller> authenticate(String bearerToken) {
                return Optional.empty();
            }

            @Override
            public IssuedToken issue(String user, Role role) {
                return new IssuedToken("id1", user, role, "oqto_secret_of_" + user);
            }

            @Override
            public int revokeAll(String user) {
                revoked.add(user);
                return 1;
            }
        };
        eavs.configured = false;
        provisioner = new Provisioner(
                helper,
                runners,
                new EavsKeys(eavs, runners, Duration.ofMillis(600)),
                tokens,
                records,
                "oqto_",
                "/bin/bash",
                Duration.ofMillis(600));
    }

    private static NewUser alice() {
        return new NewUser("alice", "alice@example.com", Role.USER);
    }

    @Test
    void theSeedsStepsRunInOrderAndTheTokenIsReturnedOnce() {
        pingsUntilReady = 2;
        ProvisionedUser p = provisioner.create(alice());
        assertEquals(
                List.of(
                        "create-user {comment=Oqto platform user alice, shell=/bin/bash, uid=null, username=oqto_alice}",
                        "set-linger {enabled=true, username=oqto_alice}",
                        "prepare-runtime {username=oqto_alice}",
                        "start-services {username=oqto_alice}"),
                calls);
        assertEquals(3, pings.get(), "waited until the runner answered");
        assertEquals(
                List.of(
                        "create-user",
                        "record",
                        "set-linger",
                        "prepare-runtime",
                        "start-services",
                        "wait-for-runner",
                        "issue-token"),
                p.steps());
        assertTrue(p.created());
        assertEquals("oqto_secret_of_alice", p.token().secret());
        assertEquals(List.of("eavs", "hstry", "mmry"), p.notInstalled());
        assertEquals(
                new PlatformUser(
                        "alice",
                        "alice@example.com",
                        Role.USER,
                        "oqto_alice",
                        2345,
                        PlatformUser.State.ACTIVE,
                        p.user().created()),
                records.find("alice").orElseThrow());

        calls.clear();
        accountExists = true;
        ProvisionedUser again = provisioner.create(alice());
        assertFalse(again.created(), "a second run converges");
        assertNull(again.token(), "no second token");
        assertEquals(
                "create-user {comment=Oqto platform user alice, shell=/bin/bash, uid=2345, username=oqto_alice}",
                calls.get(0),
                "the recorded uid is kept");
        assertEquals(1, records.list().size());
    }

    @Test
    void aFailedStepUndoesWhatTheRunCreatedAndNamesTheStep() {
        failAt = "start-services";
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner.create(alice()));
        assertEquals("start-services", e.step());
        assertEquals("start-services broke", e.getMessage());
        assertEquals("delete-user {keep_home=false, username=oqto_alice}", calls.get(calls.size() - 1));
        assertEquals(Optional.empty(), records.find("alice"), "the record is gone again");
    }

    @Test
    void aRunnerThatNeverAnswersFailsTheRunAtWaitForRunner() {
        pingsUntilReady = Integer.MAX_VALUE;
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner.create(alice()));
        assertEquals("wait-for-runner", e.step());
        assertEquals("the runner of alice did not answer within 600 ms: not yet", e.getMessage());
        assertEquals("delete-user {keep_home=false, username=oqto_alice}", calls.get(calls.size() - 1));
        assertEquals(List.of(), records.list());
    }

    @Test
    void anAccountThatWasThereBeforeIsNotRemovedByTheUndo() {
        accountExists = true;
        failAt = "prepare-runtime";
        assertThrows(ProvisioningException.class, () -> provisioner.create(alice()));
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("delete-user")), calls.toString());
        assertEquals(List.of(), records.list(), "the record this run made is undone");
    }

    @Test
    void badInputIsRefusedBeforeTheHelperIsAsked() {
        for (NewUser bad : List.of(
                new NewUser("Alice", "a@example.com", Role.USER),
                new NewUser("a;b", "a@example.com", Role.USER),
                new NewUser("alice", "not-an-address", Role.USER),
                new NewUser("alice", "a@b.c; rm", Role.USER),
                new NewUser("alice", "alice@example.com", null),
                new NewUser("a" + "b".repeat(27), "a@example.com", Role.USER))) {
            ProvisioningException e =
                    assertThrows(ProvisioningException.class, () -> provisioner.create(bad), bad.toString());
            assertEquals(ProvisioningException.Kind.INVALID, e.kind(), bad.toString());
        }
        assertEquals(List.of(), calls);
    }

    @Test
    void disableRevokesAndStopsAndADisabledUserIsNotCreatedAgain() {
        provisioner.create(alice());
        calls.clear();
        PlatformUser d = provisioner.disable("alice");
        assertEquals(PlatformUser.State.DISABLED, d.state());
        assertEquals(List.of("alice"), revoked);
        assertEquals(
                List.of("stop-services {username=oqto_alice}", "set-linger {enabled=false, username=oqto_alice}"),
                calls);
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner.create(alice()));
        assertEquals(ProvisioningException.Kind.CONFLICT, e.kind());
        assertEquals(PlatformUser.State.ACTIVE, provisioner.enable("alice").state());
    }

    @Test
    void anEnableThatFailsLeavesTheUserDisabledWithNothingRunning() {
        provisioner.create(alice());
        provisioner.disable("alice");
        calls.clear();
        pingsUntilReady = Integer.MAX_VALUE;
        pings.set(0);
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner.enable("alice"));
        assertEquals("wait-for-runner", e.step());
        assertEquals(
                List.of(
                        "set-linger {enabled=true, username=oqto_alice}",
                        "prepare-runtime {username=oqto_alice}",
                        "start-services {username=oqto_alice}",
                        "stop-services {username=oqto_alice}",
                        "set-linger {enabled=false, username=oqto_alice}"),
                calls);
        assertEquals(
                PlatformUser.State.DISABLED, records.find("alice").orElseThrow().state());
    }

    @Test
    void deleteRemovesAccountTokensAndRecord() {
        provisioner.create(alice());
        calls.clear();
        assertTrue(provisioner.delete("alice", true));
        assertEquals(List.of("delete-user {keep_home=true, username=oqto_alice}"), calls);
        assertEquals(List.of("alice"), revoked);
        assertEquals(Optional.empty(), records.find("alice"));
        assertEquals(
                ProvisioningException.Kind.NOT_FOUND,
                assertThrows(ProvisioningException.class, () -> provisioner.disable("alice"))
                        .kind());
    }

    @Test
    void withEavsTheUsersKeyIsIssuedToTheRunnerAfterItAnswersAndOnlyOnce() {
        eavs.configured = true;
        ProvisionedUser p = provisioner.create(alice());
        assertEquals(
                List.of(
                        "create-user",
                        "record",
                        "set-linger",
                        "prepare-runtime",
                        "start-services",
                        "wait-for-runner",
                        "eavs-key",
                        "issue-token"),
                p.steps());
        assertEquals(List.of("key-1"), eavs.enabledIds("alice"));
        assertEquals(eavs.keys.get(0).keyHash(), runnerKeyHash, "the runner holds the key eavs issued");

        provisioner.create(alice());
        assertEquals(1, eavs.keys.size(), "a second run keeps the key the runner holds: no second key");

        runnerKeyHash = null; // the runner lost its file (a home restored from backup, …)
        provisioner.create(alice());
        assertEquals(List.of("key-2"), eavs.enabledIds("alice"), "a new key, and the one it replaces revoked");
    }

    @Test
    void anEavsThatIsDownFailsTheRunAtItsStepWithItsUrlAndUndoesTheRest() {
        eavs.configured = true;
        eavs.down = true;
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner.create(alice()));
        assertEquals("eavs-key", e.step());
        assertEquals(
                "eavs at http://127.0.0.1:3033 did not answer GET /admin/keys: connection refused", e.getMessage());
        assertEquals("delete-user {keep_home=false, username=oqto_alice}", calls.get(calls.size() - 1));
        assertEquals(List.of(), records.list());
    }

    @Test
    void aKeyTheRunnerDoesNotTakeIsRevokedAndTheRunUndone() {
        eavs.configured = true;
        runnerRefusesKeys = true;
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner.create(alice()));
        assertEquals("eavs-key", e.step());
        assertEquals(
                "the runner of alice did not take its eavs key: cannot write ~/.config/oqto/eavs.key", e.getMessage());
        assertEquals(List.of(), eavs.enabledIds("alice"), "the issued key is revoked");
        assertEquals(List.of(), records.list());
    }

    @Test
    void aFailureAfterTheKeyStepRevokesTheKeyItIssued() {
        eavs.configured = true;
        // A token service that fails: the step after eavs-key.
        TokenService broken = (TokenService) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {TokenService.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("token store full");
                });
        Provisioner p = new Provisioner(
                (cmd, args) -> cmd.equals("create-user") ? Map.of("uid", 2345, "created", true) : Map.of(),
                runners,
                new EavsKeys(eavs, runners, Duration.ofMillis(600)),
                broken,
                records,
                "oqto_",
                "/bin/bash",
                Duration.ofMillis(600));
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> p.create(alice()));
        assertEquals("issue-token", e.step());
        assertEquals(1, eavs.keys.size());
        assertEquals(List.of(), eavs.enabledIds("alice"), "the key this run issued is revoked");
    }

    @Test
    void disableRevokesTheKeyEnableIssuesANewOneDeleteRevokesIt() {
        eavs.configured = true;
        provisioner.create(alice());
        provisioner.disable("alice");
        assertEquals(List.of(), eavs.enabledIds("alice"));
        provisioner.enable("alice");
        assertEquals(List.of("key-2"), eavs.enabledIds("alice"));
        assertEquals(eavs.keys.get(1).keyHash(), runnerKeyHash);
        provisioner.delete("alice", false);
        assertEquals(List.of(), eavs.enabledIds("alice"));
    }

    @Test
    void aDisableOrDeleteWhileEavsIsDownChangesNothing() {
        eavs.configured = true;
        provisioner.create(alice());
        calls.clear();
        revoked.clear();
        eavs.down = true;
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner.disable("alice"));
        assertEquals("eavs-key", e.step());
        e = assertThrows(ProvisioningException.class, () -> provisioner.delete("alice", false));
        assertEquals("eavs-key", e.step());
        assertEquals(List.of(), calls, "services, linger and account untouched");
        assertEquals(List.of(), revoked, "tokens untouched");
        assertEquals(
                PlatformUser.State.ACTIVE, records.find("alice").orElseThrow().state());
    }

    @Test
    void perUserModeWritesTheUsersOwnEavsConfigBeforeTheServicesStartAndForgetsItOnDelete() {
        eavs.configured = true;
        eavs.perUser = true;
        ProvisionedUser p = provisioner.create(alice());
        assertEquals(
                List.of(
                        "create-user",
                        "record",
                        "eavs-config",
                        "set-linger",
                        "prepare-runtime",
                        "start-services",
                        "wait-for-runner",
                        "eavs-key",
                        "issue-token"),
                p.steps());
        assertTrue(
                calls.contains("write-eavs-config {master_key=master-of-alice, port=41345, username=oqto_alice}"),
                calls.toString());
        assertTrue(calls.indexOf("write-eavs-config {master_key=master-of-alice, port=41345, username=oqto_alice}")
                < calls.indexOf("start-services {username=oqto_alice}"));
        assertEquals(List.of("key-1"), eavs.enabledIds("alice"));
        provisioner.delete("alice", false);
        assertEquals(java.util.Map.of(), eavs.masterKeys, "alice's master key is forgotten with her");
    }

    @Test
    void aHelperThatCannotWriteTheEavsConfigFailsThatStepAndUndoes() {
        eavs.configured = true;
        eavs.perUser = true;
        failAt = "write-eavs-config";
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner.create(alice()));
        assertEquals("eavs-config", e.step());
        assertEquals("write-eavs-config broke", e.getMessage());
        assertEquals("delete-user {keep_home=false, username=oqto_alice}", calls.get(calls.size() - 1));
        assertEquals(java.util.Map.of(), eavs.masterKeys);
    }

    @Test
    void withACentralEmbeddingsServiceTheUsersMmryDelegatesToItBeforeTheServicesStart() throws Exception {
        java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("embeddings.key"), "central-key-1\n");
        Provisioner p = new Provisioner(
                helper,
                runners,
                new EavsKeys(eavs, runners, Duration.ofMillis(600)),
                new MmryConfigStep("http://10.0.0.5:8081", "file:" + key, null),
                tokens,
                records,
                "oqto_",
                "/bin/bash",
                Duration.ofMillis(600));
        assertEquals(
                List.of(
                        "create-user",
                        "record",
                        "mmry-config",
                        "set-linger",
                        "prepare-runtime",
                        "start-services",
                        "wait-for-runner",
                        "issue-token"),
                p.create(alice()).steps());
        String written = "write-mmry-config {api_key=central-key-1, embeddings_url=http://10.0.0.5:8081, port=null,"
                + " user_key=null, username=oqto_alice}";
        assertTrue(calls.contains(written), calls.toString());
        assertTrue(calls.indexOf(written) < calls.indexOf("start-services {username=oqto_alice}"));
    }

    @Test
    void aKeyThatCannotBeReadFailsTheMmryStepAndUndoes() {
        Provisioner p = new Provisioner(
                helper,
                runners,
                new EavsKeys(eavs, runners, Duration.ofMillis(600)),
                new MmryConfigStep("http://10.0.0.5:8081", "file:" + dir.resolve("missing.key"), null),
                tokens,
                records,
                "oqto_",
                "/bin/bash",
                Duration.ofMillis(600));
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> p.create(alice()));
        assertEquals("mmry-config", e.step());
        assertEquals("[memory] embeddings_key: " + dir.resolve("missing.key") + " does not exist", e.getMessage());
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("write-mmry-config")), calls.toString());
        assertEquals("delete-user {keep_home=false, username=oqto_alice}", calls.get(calls.size() - 1));
    }

    private Provisioner withPerUserMmry(long portBase) {
        return new Provisioner(
                helper,
                runners,
                new EavsKeys(eavs, runners, Duration.ofMillis(600)),
                new MmryConfigStep("", "", new UserPorts("[memory] mmry_user_port_base", portBase, 2000)),
                tokens,
                records,
                "oqto_",
                "/bin/bash",
                Duration.ofMillis(600));
    }

    @Test
    void withOneMmryPerUserEachGetsThePortItsUidGivesAndAKeyOfItsOwn() throws Exception {
        assertEquals(
                List.of(
                        "create-user",
                        "record",
                        "mmry-config",
                        "set-linger",
                        "prepare-runtime",
                        "start-services",
                        "wait-for-runner",
                        "issue-token"),
                withPerUserMmry(48000).create(alice()).steps());
        List<String> written =
                calls.stream().filter(c -> c.startsWith("write-mmry-config")).toList();
        assertEquals(1, written.size(), calls.toString());
        // alice's uid is 2345: 48000 + (2345 - 2000); the key is 32 random bytes, base64url.
        assertTrue(
                written.get(0)
                        .matches("write-mmry-config \\{api_key=null, embeddings_url=null, port=48345,"
                                + " user_key=[A-Za-z0-9_-]{43}, username=oqto_alice}"),
                written.get(0));

        calls.clear();
        accountExists = true;
        withPerUserMmry(48000).create(alice());
        String again = calls.stream()
                .filter(c -> c.startsWith("write-mmry-config"))
                .findFirst()
                .orElseThrow();
        assertNotEquals(
                written.get(0).replaceAll(".*user_key=([^,]+),.*", "$1"),
                again.replaceAll(".*user_key=([^,]+),.*", "$1"),
                "every write makes a new key");
    }

    @Test
    void aUidBeyondThePortRangeFailsTheMmryStepAndUndoes() {
        ProvisioningException e = assertThrows(
                ProvisioningException.class, () -> withPerUserMmry(65500).create(alice()));
        assertEquals("mmry-config", e.step());
        assertEquals(
                "[memory] mmry_url: uid 2345 gives no port: [memory] mmry_user_port_base 65500 + (uid - [usermgr]"
                        + " uid_min 2000) must be at most 65535",
                e.getMessage());
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("write-mmry-config")), calls.toString());
        assertEquals("delete-user {keep_home=false, username=oqto_alice}", calls.get(calls.size() - 1));
    }
}
