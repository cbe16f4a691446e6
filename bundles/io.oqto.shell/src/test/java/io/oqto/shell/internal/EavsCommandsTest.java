package io.oqto.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.eavs.AdminUsage;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsStatus;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.eavs.OwnerUsage;
import io.oqto.api.eavs.UserUsage;
import io.oqto.api.eavs.VirtualKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** oqto:usage and oqto:eavs-status: what they print, and eavs's failures as one line. */
class EavsCommandsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean down;

    private final EavsAdmin eavs = new EavsAdmin() {
        @Override
        public boolean configured() {
            return true;
        }

        @Override
        public String baseUrl() {
            return "http://127.0.0.1:3033";
        }

        @Override
        public IssuedKey issueKey(String owner) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<VirtualKey> keys(String owner) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mode mode() {
            return Mode.CENTRAL;
        }

        @Override
        public io.oqto.api.eavs.UserEavs userEavs(String owner, int uid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void forgetUser(String owner) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void revokeKey(String owner, String keyId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int revokeKeys(String owner) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserUsage usage(String owner, int days) {
            if (down) {
                throw new EavsException(
                        EavsException.Kind.UNREACHABLE,
                        "eavs at http://127.0.0.1:3033 did not answer GET /admin/usage/by-owner?days=30&owner=alice: connection refused",
                        0,
                        null,
                        null);
            }
            return new UserUsage(
                    owner,
                    days,
                    new OwnerUsage(owner, 3, 1200, 340, 0, 0, 0.0123),
                    List.of(new VirtualKey(
                            "cold-lamp",
                            "ab12",
                            "oqto-user-" + owner,
                            owner,
                            false,
                            "2026-12-01T00:00:00Z",
                            50.0,
                            "monthly",
                            60L,
                            3,
                            0.0123)),
                    List.of());
        }

        @Override
        public AdminUsage usageByOwner(int days) {
            return new AdminUsage(
                    days,
                    List.of(new OwnerUsage("bob", 9, 10, 20, 0, 0, 1.5), new OwnerUsage("", 1, 1, 1, 0, 0, 0)),
                    List.of());
        }

        @Override
        public EavsStatus status() {
            return new EavsStatus(baseUrl(), true, null, List.of("anthropic", "openai"), 4, 3);
        }
    };

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private <T extends OqtoCommand> T command(T c) {
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        return c;
    }

    @Test
    void usageOfOneUserWithTheirKeysBudget() throws Exception {
        UsageCommand c = command(new UsageCommand());
        c.eavs = eavs;
        c.user = "alice";
        c.execute();
        assertTrue(
                text().startsWith("alice, last 30 days: 3 requests, 1200 input and 340 output tokens, 0.0123 USD"),
                text());
        assertTrue(text().contains("cold-lamp") && text().contains("50.0000") && text().contains("monthly"), text());
    }

    @Test
    void usageOfEveryone() throws Exception {
        UsageCommand c = command(new UsageCommand());
        c.eavs = eavs;
        c.all = true;
        c.days = 7;
        c.execute();
        assertTrue(text().startsWith("Last 7 days:"), text());
        assertTrue(text().contains("bob") && text().contains("1.5000") && text().contains("(no owner)"), text());
    }

    @Test
    void anEavsThatIsDownIsOneLineWithItsUrl() {
        down = true;
        UsageCommand c = command(new UsageCommand());
        c.eavs = eavs;
        c.user = "alice";
        assertEquals(
                "eavs at http://127.0.0.1:3033 did not answer GET /admin/usage/by-owner?days=30&owner=alice: connection refused",
                assertThrows(org.apache.karaf.shell.support.CommandException.class, c::execute)
                        .getMessage());
    }

    @Test
    void eavsStatusSaysWhereAndWhat() throws Exception {
        EavsStatusCommand c = command(new EavsStatusCommand());
        c.eavs = eavs;
        c.execute();
        assertEquals(
                "eavs:      http://127.0.0.1:3033\nreachable: yes\nproviders: anthropic, openai\nkeys:      3 enabled of 4\n",
                text());
    }
}
