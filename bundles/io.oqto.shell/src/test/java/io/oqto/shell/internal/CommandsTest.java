package io.oqto.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenService;
import io.oqto.api.runner.PingResult;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerStatus;
import io.oqto.api.runner.RunnerUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        public RunnerStatus status(String user) {
            if (!user.equals("alice")) {
                throw new RunnerUnavailableException("runner of " + user + " is not running");
            }
            return new RunnerStatus("alice", "oqto_alice", 2001, 4242, "0.1.0", "1.0", "2026-11-26T00:00:00Z",
                    3_725_000, "/run/user/2001/oqto-runner.sock");
        }

        @Override
        public PingResult ping(String user) {
            return new PingResult(user, 1234);
        }

        @Override
        public java.util.Map<String, Object> request(String user, String type, java.util.Map<String, Object> fields) {
            throw new UnsupportedOperationException(type);
        }

        @Override
        public java.util.Map<String, Object> request(String user, String type, java.util.Map<String, Object> fields,
                java.time.Duration timeout) {
            throw new UnsupportedOperationException(type);
        }

        @Override
        public io.oqto.api.runner.RunnerSubscription subscribe(String user, String type, java.util.Map<String, Object> fields,
                java.util.function.Consumer<java.util.Map<String, Object>> events) {
            throw new UnsupportedOperationException(type);
        }
    };

    @Test
    void runnerStatusPrintsATable() {
        RunnerStatusCommand c = new RunnerStatusCommand();
        c.runners = GATEWAY;
        c.user = "alice";
        c.execute();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("oqto_alice"), text);
        assertTrue(text.contains("1h02m05s"), text);
        assertTrue(text.contains("/run/user/2001/oqto-runner.sock"), text);
    }

    @Test
    void runnerFailuresReachTheOperator() {
        RunnerStatusCommand c = new RunnerStatusCommand();
        c.runners = GATEWAY;
        c.user = "bob";
        assertEquals("runner of bob is not running", assertThrows(RunnerUnavailableException.class, c::execute).getMessage());
    }

    @Test
    void pingPrintsMilliseconds() {
        RunnerPingCommand c = new RunnerPingCommand();
        c.runners = GATEWAY;
        c.user = "alice";
        c.execute();
        assertEquals("runner of alice answered in 1.234 ms", out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void tokenCreatePrintsTheTokenOnceAndChecksItsInput() {
        List<String> issued = new ArrayList<>();
        TokenCreateCommand c = new TokenCreateCommand();
        c.tokens = new TokenService() {
            @Override
            public Optional<Caller> authenticate(String bearerToken) {
                return Optional.empty();
            }

            @Override
            public IssuedToken issue(String user, Role role) {
                issued.add(user + "/" + role);
                return new IssuedToken("id", user, role, "oqto_secret");
            }

            @Override
            public int revokeAll(String user) {
                throw new AssertionError("token-create revokes nothing");
            }
        };
        c.user = "alice";
        c.role = "admin";
        c.execute();
        assertEquals("oqto_secret", out.toString(StandardCharsets.UTF_8).strip());
        assertEquals(List.of("alice/ADMIN"), issued);

        c.role = "root";
        assertEquals("--role must be user or admin, not root",
                assertThrows(IllegalArgumentException.class, c::execute).getMessage());
        c.role = "user";
        c.user = "../etc";
        assertEquals("not a platform user name: ../etc", assertThrows(IllegalArgumentException.class, c::execute).getMessage());
        assertEquals(1, issued.size(), "nothing issued for rejected input");
    }
}
