package io.oqto.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.audit.AuditEvent;
import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenInfo;
import io.oqto.api.auth.TokenService;
import io.oqto.api.runner.ErrorCode;
import io.oqto.api.runner.PingResult;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerRequest;
import io.oqto.api.runner.RunnerStatus;
import io.oqto.api.runner.RunnerSubscription;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.Subscribed;
import io.oqto.api.runner.processes.ListProcesses;
import io.oqto.api.runner.processes.ProcessInfo;
import io.oqto.api.runner.processes.ProcessList;
import io.oqto.api.runner.processes.ProcessStopped;
import io.oqto.api.runner.processes.StopProcess;
import io.oqto.api.runner.sessions.ListSessions;
import io.oqto.api.runner.sessions.Session;
import io.oqto.api.runner.sessions.SessionCost;
import io.oqto.api.runner.sessions.SessionList;
import io.oqto.api.runner.sessions.SessionReply;
import io.oqto.api.runner.sessions.StopSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.support.CommandException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureOut() {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOut() {
        System.setOut(original);
    }

    private static final RunnerGateway GATEWAY = new RunnerGateway() {
        @Override
        public boolean connected(String user) {
            return user.equals("alice");
        }

        @Override
        public RunnerStatus status(String user) {
            if (!user.equals("alice")) {
                throw new RunnerUnavailableException("runner of " + user + " is not running");
            }
            return new RunnerStatus(
                    "alice",
                    "oqto_alice",
                    2001,
                    4242,
                    "0.1.0",
                    "1.0",
                    "2026-11-26T00:00:00Z",
                    3_725_000,
                    "/run/user/2001/oqto-runner.sock",
                    new io.oqto.api.runner.history.HistoryState("hstry", 4),
                    null);
        }

        @Override
        public PingResult ping(String user) {
            return new PingResult(user, 1234);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R call(String user, RunnerRequest<R> request) {
            if (!user.equals("alice")) {
                throw new RunnerUnavailableException("runner of " + user + " is not running");
            }
            Session beta = new Session(
                    "beta",
                    "stopped",
                    "stopped",
                    ".",
                    "fake",
                    "m1",
                    null,
                    "2026-12-02T00:00:00Z",
                    12,
                    0,
                    null,
                    null,
                    null,
                    null,
                    null);
            if (request instanceof ListSessions) {
                return (R) new SessionList(
                        List.of(
                                new Session(
                                        "alpha",
                                        "idle",
                                        null,
                                        ".",
                                        "fake",
                                        "m1",
                                        "pi-1",
                                        "2026-12-02T00:00:00Z",
                                        7,
                                        1,
                                        4711L,
                                        new SessionCost(0.02, 120, 30, 1),
                                        null,
                                        null,
                                        null),
                                beta),
                        1,
                        null);
            }
            if (request instanceof StopSession stop) {
                if (!stop.session().equals("beta")) {
                    throw new RunnerErrorException(ErrorCode.SESSION_NOT_FOUND, "no session " + stop.session());
                }
                return (R) new SessionReply(beta);
            }
            if (request instanceof ListProcesses) {
                return (R) new ProcessList(
                        List.of(new ProcessInfo(
                                "build",
                                99,
                                false,
                                2,
                                null,
                                "2026-12-02T00:00:00Z",
                                List.of("make", "-j2"),
                                true,
                                Map.of(),
                                0,
                                Map.of(),
                                List.of())),
                        Map.of(),
                        0);
            }
            if (request instanceof io.oqto.api.runner.history.ListHistory l) {
                return (R) new io.oqto.api.runner.history.HistoryList(
                        List.of(new io.oqto.api.runner.history.HistoryConversation(
                                "r1",
                                "zebras",
                                ".",
                                "fake/m1",
                                "2026-12-01T00:00:00Z",
                                "2026-12-02T00:00:00Z",
                                l.limit(),
                                170,
                                0.25,
                                false)),
                        new io.oqto.api.runner.history.HistoryState("embedded", 2));
            }
            if (request instanceof io.oqto.api.runner.history.SearchHistory s) {
                if (!"user".equals(s.role())) {
                    throw new RunnerErrorException(ErrorCode.INVALID_REQUEST, "role " + s.role());
                }
                return (R) new io.oqto.api.runner.history.SearchResults(
                        s.query(),
                        List.of(new io.oqto.api.runner.history.SearchHit(
                                "r1", 2, "user", "the word " + s.query(), "2026-12-02T00:00:00Z")));
            }
            if (request instanceof io.oqto.api.runner.memory.SearchMemories s) {
                return (R) new io.oqto.api.runner.memory.MemoryHits(
                        List.of(new io.oqto.api.runner.memory.MemoryHit(
                                new io.oqto.api.runner.memory.StoredMemory(
                                        "mem_1",
                                        "semantic",
                                        "deploy with " + s.query(),
                                        "ops",
                                        List.of("ci", "prod"),
                                        5,
                                        Map.of(),
                                        "2026-12-02T00:00:00Z",
                                        "2026-12-02T00:00:00Z"),
                                1.25)),
                        "lexical",
                        String.valueOf(s.mode()),
                        "no central embeddings service is configured");
            }
            if (request instanceof StopProcess) {
                return (R) new ProcessStopped(true, 137);
            }
            throw new UnsupportedOperationException(request.toString());
        }

        @Override
        public <R> R call(String user, RunnerRequest<R> request, Duration timeout) {
            return call(user, request);
        }

        @Override
        public RunnerSubscription subscribe(
                String user, RunnerRequest<Subscribed> request, Consumer<RunnerEvent> events) {
            throw new UnsupportedOperationException(request.toString());
        }

        @Override
        public <R> io.oqto.api.runner.Handover<R> handOver(String user, RunnerRequest<R> request) {
            throw new UnsupportedOperationException(request.toString());
        }
    };

    @Test
    void anUpgradeTakesOnlyARepositoryAddressKarafCanFetch() {
        assertEquals(
                "mvn:io.oqto/oqto-features/0.1.1/xml/features",
                UpgradeCommand.repositoryUri("mvn:io.oqto/oqto-features/0.1.1/xml/features")
                        .toString());
        assertEquals(
                "file:/srv/r/features.xml",
                UpgradeCommand.repositoryUri("file:/srv/r/features.xml").toString());
        for (String hostile : new String[] {"features.xml", "ftp://host/f.xml", "javascript:alert(1)", "mvn:a b"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> UpgradeCommand.repositoryUri(hostile));
            assertTrue(e.getMessage().startsWith("not a repository address: " + hostile), e.getMessage());
        }
    }

    @Test
    void runnerStatusPrintsATable() throws Exception {
        RunnerStatusCommand c = new RunnerStatusCommand();
        c.runners = GATEWAY;
        c.user = "alice";
        c.execute();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("oqto_alice"), text);
        assertTrue(text.contains("1h02m05s"), text);
        assertTrue(text.contains("/run/user/2001/oqto-runner.sock"), text);
        assertTrue(text.contains("hstry (4 waiting)"), text);
    }

    @Test
    void runnerFailuresReachTheOperator() {
        RunnerStatusCommand c = new RunnerStatusCommand();
        c.runners = GATEWAY;
        c.user = "bob";
        assertEquals(
                "runner of bob is not running",
                assertThrows(CommandException.class, c::execute).getMessage());
    }

    @Test
    void sessionsAndProcessesAreTablesAndLines() throws Exception {
        SessionListCommand list = new SessionListCommand();
        list.runners = GATEWAY;
        list.user = "alice";
        list.execute();
        ProcessListCommand processes = new ProcessListCommand();
        processes.runners = GATEWAY;
        processes.user = "alice";
        processes.execute();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("(?s).*alpha +\\| idle +\\| +\\| m1 +\\| 4711 \\| 7 +\\| 1 +\\| 0.0200 .*"), text);
        assertTrue(text.matches("(?s).*beta +\\| stopped \\| stopped \\| m1 +\\| +\\| 12 +\\| 0 .*"), text);
        assertTrue(text.matches("(?s).*build \\| 99 +\\| false +\\| 2 +\\| true +\\| make -j2.*"), text);

        out.reset();
        ProcessStopCommand stop = new ProcessStopCommand();
        stop.runners = GATEWAY;
        stop.user = "alice";
        stop.name = "build";
        stop.execute();
        assertEquals(
                "build of alice stopped (killed after the grace period), exit code 137",
                out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void historyListAndSearchAreTables() throws Exception {
        HistoryListCommand list = new HistoryListCommand();
        list.runners = GATEWAY;
        list.user = "alice";
        list.limit = 7;
        list.execute();
        HistorySearchCommand search = new HistorySearchCommand();
        search.runners = GATEWAY;
        search.user = "alice";
        search.query = List.of("striped", "horse");
        search.role = "user";
        search.execute();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("(?s).*r1 +\\| zebras \\| \\. +\\| fake/m1 \\| 7 +\\| 170 +\\| 0.2500 .*"), text);
        assertTrue(text.contains("store: embedded, writes waiting: 2"), text);
        assertTrue(
                text.matches("(?s).*r1 +\\| 2 +\\| user \\| 2026-12-02T00:00:00Z \\| the word striped horse.*"), text);
    }

    @Test
    void memorySearchIsATableWithTheModeUsed() throws Exception {
        MemorySearchCommand c = new MemorySearchCommand();
        c.runners = GATEWAY;
        c.user = "alice";
        c.query = List.of("staging");
        c.mode = "hybrid";
        c.execute();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("(?s).*1\\.250 \\| mem_1 +\\| ops +\\| ci,prod \\| deploy with staging.*"), text);
        assertTrue(text.contains("mode: lexical (no central embeddings service is configured)"), text);
    }

    @Test
    void aRunnersRefusalReadsAsOneLineWithItsCode() {
        SessionStopCommand c = new SessionStopCommand();
        c.runners = GATEWAY;
        c.user = "alice";
        c.id = "nope";
        assertEquals(
                "the runner refused (session_not_found): no session nope",
                assertThrows(CommandException.class, c::execute).getMessage());
    }

    @Test
    void sessionIdsAndProcessNamesCompleteFromTheUsersRunner() {
        SessionIdCompleter sessions = new SessionIdCompleter();
        sessions.runners = GATEWAY;
        assertEquals(List.of("alpha", "beta"), complete(sessions, "oqto:session-stop", "alice", ""));
        assertEquals(List.of("beta"), complete(sessions, "oqto:session-stop", "alice", "b"));
        assertEquals(List.of(), complete(sessions, "oqto:session-stop", "bob", ""), "bob's runner is not there");
        ProcessNameCompleter processes = new ProcessNameCompleter();
        processes.runners = GATEWAY;
        assertEquals(List.of("build"), complete(processes, "oqto:process-stop", "--grace", "100", "alice", ""));
    }

    /** The candidates for the last word (the one being typed). */
    private static List<String> complete(Completer completer, String... words) {
        List<String> candidates = new ArrayList<>();
        completer.complete(
                null,
                new CommandLine() {
                    @Override
                    public int getCursorArgumentIndex() {
                        return words.length - 1;
                    }

                    @Override
                    public String getCursorArgument() {
                        return words[words.length - 1];
                    }

                    @Override
                    public int getArgumentPosition() {
                        return words[words.length - 1].length();
                    }

                    @Override
                    public String[] getArguments() {
                        return words;
                    }

                    @Override
                    public int getBufferPosition() {
                        return getBuffer().length();
                    }

                    @Override
                    public String getBuffer() {
                        return String.join(" ", words);
                    }
                },
                candidates);
        return candidates.stream().map(String::strip).sorted().toList();
    }

    @Test
    void pingPrintsMilliseconds() throws Exception {
        RunnerPingCommand c = new RunnerPingCommand();
        c.runners = GATEWAY;
        c.user = "alice";
        c.execute();
        assertEquals(
                "runner of alice answered in 1.234 ms",
                out.toString(StandardCharsets.UTF_8).strip());
    }

    /** Tokens in memory, as the shell commands see the token service. */
    private static final class FakeTokens implements TokenService {
        final List<TokenInfo> tokens = new ArrayList<>();

        @Override
        public Optional<Caller> authenticate(String bearerToken) {
            return Optional.empty();
        }

        @Override
        public IssuedToken issue(String user, Role role) {
            throw new AssertionError("the commands issue named tokens");
        }

        @Override
        public IssuedToken issue(String user, Role role, String name, @Nullable Instant expiresAt) {
            String id = "id" + tokens.size();
            tokens.add(new TokenInfo(id, user, role, name, Instant.parse("2026-12-01T10:00:00Z"), expiresAt, null));
            return new IssuedToken(id, user, role, "oqto_secret" + id);
        }

        @Override
        public List<TokenInfo> list(@Nullable String user) {
            return tokens.stream()
                    .filter(t -> user == null || t.user().equals(user))
                    .toList();
        }

        @Override
        public Optional<TokenInfo> revoke(String id) {
            Optional<TokenInfo> t =
                    tokens.stream().filter(i -> i.id().equals(id)).findFirst();
            t.ifPresent(tokens::remove);
            return t;
        }

        @Override
        public int revokeAll(String user) {
            throw new AssertionError("the token commands revoke one at a time");
        }
    }

    @Test
    void tokenCreatePrintsTheTokenOnceAndChecksItsInput() throws Exception {
        FakeTokens tokens = new FakeTokens();
        TokenCreateCommand c = new TokenCreateCommand();
        c.tokens = tokens;
        c.user = "alice";
        c.role = "admin";
        c.name = "ci deploys";
        c.expires = "2027-01-31T12:00:00Z";
        c.execute();
        assertEquals("oqto_secretid0", out.toString(StandardCharsets.UTF_8).strip());
        assertEquals(
                List.of(new TokenInfo(
                        "id0",
                        "alice",
                        Role.ADMIN,
                        "ci deploys",
                        Instant.parse("2026-12-01T10:00:00Z"),
                        Instant.parse("2027-01-31T12:00:00Z"),
                        null)),
                tokens.tokens);

        c.expires = "next week";
        assertEquals(
                "--expires takes a UTC time like 2027-01-31T12:00:00Z, not next week",
                assertThrows(CommandException.class, c::execute).getMessage());
        c.expires = null;
        c.role = "root";
        assertEquals(
                "--role must be user or admin, not root",
                assertThrows(CommandException.class, c::execute).getMessage());
        c.role = "user";
        c.user = "../etc";
        assertEquals(
                "not a platform user name: ../etc",
                assertThrows(CommandException.class, c::execute).getMessage());
        assertEquals(1, tokens.tokens.size(), "nothing issued for rejected input");
    }

    @Test
    void tokenListShowsEachTokenWithoutItsSecretAndTokenRevokeEndsOne() throws Exception {
        FakeTokens tokens = new FakeTokens();
        tokens.issue("alice", Role.USER, "laptop", null);
        tokens.issue("bob", Role.USER, "", Instant.parse("2020-01-01T00:00:00Z"));
        TokenListCommand list = new TokenListCommand();
        list.tokens = tokens;
        list.execute();
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(
                table.matches(
                        "(?s).*id0 +\\| alice +\\| user +\\| laptop +\\| 2026-12-01T10:00:00Z +\\| never +\\| never.*"),
                table);
        assertTrue(table.contains("2020-01-01T00:00:00Z (expired)"), table);
        assertFalse(table.contains("oqto_secret"), "never a secret");

        out.reset();
        list.user = "bob";
        list.execute();
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("alice"), "only bob's");

        TokenRevokeCommand revoke = new TokenRevokeCommand();
        revoke.tokens = tokens;
        revoke.id = "id0";
        out.reset();
        revoke.execute();
        assertEquals(
                "revoked token id0 of alice (laptop)",
                out.toString(StandardCharsets.UTF_8).strip());
        assertEquals(List.of("id1"), tokens.tokens.stream().map(TokenInfo::id).toList());
        assertEquals(
                "no token id0",
                assertThrows(CommandException.class, revoke::execute).getMessage());
    }

    @Test
    void aCommandThatChangesSomethingWritesItsAuditLineWhateverTheOutcomeAndOneThatLooksDoesNot() throws Exception {
        FakeTokens tokens = new FakeTokens();
        tokens.issue("alice", Role.USER, "laptop", null);
        List<AuditEvent> lines = new ArrayList<>();
        TokenRevokeCommand revoke = new TokenRevokeCommand();
        revoke.tokens = tokens;
        revoke.audit = lines::add;
        revoke.id = "id0";
        revoke.execute();
        assertThrows(CommandException.class, revoke::execute);
        assertEquals(2, lines.size(), lines.toString());
        AuditEvent ok = lines.get(0);
        assertEquals(
                List.of("operator:console", "operator", "shell oqto:token-revoke", "id0", "ok", "", "console"),
                List.of(ok.actor(), ok.role(), ok.action(), ok.target(), ok.result(), ok.detail(), ok.source()));
        AuditEvent failed = lines.get(1);
        assertEquals(List.of("failed", "no token id0"), List.of(failed.result(), failed.detail()));
        assertTrue(!ok.requestId().equals(failed.requestId()), "one id per command");

        TokenListCommand list = new TokenListCommand();
        list.tokens = tokens;
        list.audit = lines::add;
        list.execute();
        assertEquals(2, lines.size(), "looking writes no line");
    }
}
