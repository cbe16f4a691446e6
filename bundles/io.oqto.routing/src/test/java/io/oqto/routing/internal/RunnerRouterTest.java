package io.oqto.routing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerStatus;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.UnknownUserException;
import io.oqto.api.unix.UnixAccount;
import io.oqto.api.unix.UnixAccounts;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerRouterTest {

    @TempDir
    Path dir;

    private FakeRunner runner;
    private RunnerRouter router;

    private final UnixAccount me = new UnixAccount("alice", UnixAccounts.currentUid(), 0, "/home/alice");

    private RunnerRouter router(TestRoutingConfig config) {
        router = new RunnerRouter(config, new UserDirectory(true, "oqto_", me, n -> Optional.empty()), true);
        return router;
    }

    private Path sock() {
        return dir.resolve("r.sock");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (router != null) {
            router.deactivate();
        }
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void statusAndPingComeFromTheRunner() throws Exception {
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.NORMAL);
        router(TestRoutingConfig.pattern(sock().toString()));
        RunnerStatus s = router.status("alice");
        assertEquals(
                new RunnerStatus(
                        "alice",
                        "alice",
                        1000,
                        4321,
                        "9.9",
                        "1.0",
                        "2026-01-01T00:00:00Z",
                        1234,
                        sock().toString(),
                        new io.oqto.api.runner.history.HistoryState("embedded", 3),
                        new io.oqto.api.runner.RunnerLoad(2, 1, Map.of("idle", 2, "streaming", 1), 4, 1)),
                s);
        assertTrue(router.ping("alice").roundTripMicros() > 0);
    }

    @Test
    void closingASubscriptionOfAnyKindEndsItWithUnsubscribe() throws Exception {
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.NORMAL);
        router(TestRoutingConfig.pattern(sock().toString()));
        Map<String, String> endedBy = new LinkedHashMap<>();
        Map<String, io.oqto.api.runner.RunnerRequest<io.oqto.api.runner.Subscribed>> requests = Map.of(
                "subscribe_session", new io.oqto.api.runner.sessions.SubscribeSession("s1", 0),
                "subscribe_output", new io.oqto.api.runner.processes.SubscribeOutput("p1", 0));
        for (String type : List.of("subscribe_session", "subscribe_output")) {
            router.subscribe("alice", requests.get(type), e -> {}).close();
            String sent;
            do {
                sent = runner.types.poll(5, TimeUnit.SECONDS);
            } while (sent != null && !sent.startsWith("unsubscribe"));
            endedBy.put(type, sent);
        }
        assertEquals(Map.of("subscribe_session", "unsubscribe", "subscribe_output", "unsubscribe"), endedBy);
    }

    @Test
    void connectionsArePooledAndReused() throws Exception {
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.NORMAL);
        router(TestRoutingConfig.pattern(sock().toString()));
        for (int i = 0; i < 20; i++) {
            router.ping("alice");
        }
        assertEquals(2, runner.connections.get(), "pool size 2: two connections for twenty requests");
        assertEquals(22, runner.requests.get(), "two hellos and twenty pings");
    }

    @Test
    void reconnectsAfterTheRunnerRestarts() throws Exception {
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.NORMAL);
        router(TestRoutingConfig.pattern(sock().toString()));
        router.ping("alice");
        router.ping("alice");
        runner.close();
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.NORMAL);
        for (int i = 0; i < 4; i++) {
            router.ping("alice");
        }
        assertEquals(2, runner.connections.get());
    }

    @Test
    void aMissingRunnerIsUnavailableAtOnce() {
        router(TestRoutingConfig.pattern(sock().toString()));
        RunnerUnavailableException e = assertThrows(RunnerUnavailableException.class, () -> router.ping("alice"));
        assertTrue(e.getMessage().startsWith("cannot connect to runner at " + sock() + ": "), e.getMessage());
    }

    @Test
    void aRunnerThatNeverAnswersHelloTimesOut() throws Exception {
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.SILENT);
        router(new TestRoutingConfig(sock().toString(), "oqto_", 1, 300, 300, false, ""));
        long start = System.nanoTime();
        RunnerUnavailableException e = assertThrows(RunnerUnavailableException.class, () -> router.ping("alice"));
        assertEquals("runner at " + sock() + " did not answer hello within 300 ms", e.getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "bounded by the timeout, not a hang");
    }

    @Test
    void aRunnerThatStopsAnsweringTimesOut() throws Exception {
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.SILENT_AFTER_HELLO);
        router(new TestRoutingConfig(sock().toString(), "oqto_", 1, 300, 300, false, ""));
        RunnerUnavailableException e = assertThrows(RunnerUnavailableException.class, () -> router.ping("alice"));
        assertEquals("runner of alice did not answer \"ping\" within 300 ms", e.getMessage());
    }

    @Test
    void anIncompatibleProtocolIsRefused() throws Exception {
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.PROTOCOL_2);
        router(TestRoutingConfig.pattern(sock().toString()));
        RunnerUnavailableException e = assertThrows(RunnerUnavailableException.class, () -> router.ping("alice"));
        assertTrue(
                e.getMessage().startsWith("runner at " + sock() + " speaks an incompatible protocol"), e.getMessage());
    }

    @Test
    void runnerErrorsKeepTheirCode() throws Exception {
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.NORMAL);
        router(TestRoutingConfig.pattern(sock().toString()));
        RunnerErrorException e =
                assertThrows(RunnerErrorException.class, () -> router.call(router.resolve("alice"), "bogus"));
        assertEquals(io.oqto.api.runner.ErrorCode.UNKNOWN_TYPE, e.code());
    }

    @Test
    void everyRoundTripIsMeasuredWithItsOutcome() throws Exception {
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.NORMAL);
        router(TestRoutingConfig.pattern(sock().toString()));
        List<String> measured = new java.util.concurrent.CopyOnWriteArrayList<>();
        router.metrics = new io.oqto.api.metrics.Metrics() {
            @Override
            public void restRequest(String method, String route, int status, long nanos) {}

            @Override
            public void runnerRoundTrip(String type, String outcome, long nanos) {
                assertTrue(nanos > 0, "a round trip takes time");
                measured.add(type + " " + outcome);
            }

            @Override
            public void provisioning(String outcome, long nanos) {}

            @Override
            public void scrape(java.io.OutputStream out) {}
        };
        router.ping("alice");
        router.status("alice");
        assertThrows(RunnerErrorException.class, () -> router.call(router.resolve("alice"), "bogus"));
        router.subscribe("alice", new io.oqto.api.runner.sessions.SubscribeSession("s", 0), e -> {})
                .close();
        runner.close();
        runner = null;
        assertThrows(RunnerUnavailableException.class, () -> router.ping("alice"));
        assertEquals(
                List.of("ping ok", "status ok", "bogus unknown_type", "subscribe_session ok", "ping unavailable"),
                measured.stream().filter(m -> !m.startsWith("unsubscribe")).toList());
    }

    @Test
    void aDeactivatedRouterOpensNoConnections() throws Exception {
        runner = new FakeRunner(sock(), FakeRunner.Behaviour.NORMAL);
        router(TestRoutingConfig.pattern(sock().toString()));
        router.ping("alice");
        router.deactivate();
        RunnerUnavailableException e = assertThrows(RunnerUnavailableException.class, () -> router.ping("alice"));
        assertEquals("routing is stopped (its bundle is being updated or stopped)", e.getMessage());
        assertEquals(1, runner.connections.get());
        router = null;
    }

    @Test
    void socketPatternTakesUidAndUser() {
        assertEquals(
                Path.of("/run/user/1000/oqto-runner.sock"),
                RunnerAddress.socketFor("/run/user/{uid}/oqto-runner.sock", new UnixAccount("a", 1000, 1, "/h")));
        assertEquals(
                Path.of("/run/oqto/runner-sockets/oqto_a/oqto-runner.sock"),
                RunnerAddress.socketFor(
                        "/run/oqto/runner-sockets/{user}/oqto-runner.sock", new UnixAccount("oqto_a", 1000, 1, "/h")));
    }

    @Test
    void singleUserModeServesOnlyItsOwner() {
        UserDirectory d = new UserDirectory(true, "oqto_", me, n -> Optional.empty());
        assertEquals(me, d.accountOf("alice"));
        assertEquals(
                "no such user: bob (single-user mode serves only alice)",
                assertThrows(UnknownUserException.class, () -> d.accountOf("bob"))
                        .getMessage());
    }

    @Test
    void multiUserModeMapsToPrefixedLinuxUsers() {
        UnixAccount bob = new UnixAccount("oqto_bob", 2001, 2001, "/home/oqto_bob");
        UserDirectory d = new UserDirectory(
                false,
                "oqto_",
                me,
                n -> Optional.ofNullable(Map.of("oqto_bob", bob).get(n)));
        assertEquals(bob, d.accountOf("bob"));
        assertEquals(
                "no such user: carol (no Linux account oqto_carol)",
                assertThrows(UnknownUserException.class, () -> d.accountOf("carol"))
                        .getMessage());
    }

    @Test
    void hostileUserNamesAreUnknownUsers() {
        UserDirectory d = new UserDirectory(false, "oqto_", me, n -> Optional.of(me));
        for (String bad :
                new String[] {"../alice", "alice;id", "", "ALICE", "a b", "-x", "a".repeat(40), "al\u0000ice"}) {
            assertThrows(UnknownUserException.class, () -> d.accountOf(bad), bad);
        }
    }
}
