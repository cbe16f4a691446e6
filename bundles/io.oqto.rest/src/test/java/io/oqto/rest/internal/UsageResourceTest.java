package io.oqto.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.Role;
import io.oqto.api.eavs.AdminUsage;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsStatus;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.eavs.OwnerUsage;
import io.oqto.api.eavs.UserUsage;
import io.oqto.api.eavs.VirtualKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Usage over REST: who may see whose, the period's bounds, and how eavs's failures read. */
class UsageResourceTest {

    private static final AuthFilter.CallerContext ADMIN =
            new AuthFilter.CallerContext(new Caller("ops", Role.ADMIN, "t1"), false, "Bearer");
    private static final AuthFilter.CallerContext ALICE =
            new AuthFilter.CallerContext(new Caller("alice", Role.USER, "t2"), false, "Bearer");

    private final List<String> asked = new ArrayList<>();
    private EavsException failure;

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
            if (failure != null) {
                throw failure;
            }
            asked.add(owner + " " + days);
            return new UserUsage(owner, days, new OwnerUsage(owner, 1, 2, 3, 0, 0, 0.5), List.of(), List.of());
        }

        @Override
        public AdminUsage usageByOwner(int days) {
            asked.add("all " + days);
            return new AdminUsage(days, List.of(), List.of());
        }

        @Override
        public EavsStatus status() {
            return new EavsStatus(baseUrl(), true, null, List.of("openai"), 2, 1);
        }
    };

    private final UsageResource resource = new UsageResource(() -> eavs);

    private static ApiProblem.Body problem(Runnable call) {
        ApiProblem p = assertThrows(ApiProblem.class, call::run);
        return (ApiProblem.Body) p.toResponse().getEntity();
    }

    @Test
    void aUserSeesTheirOwnUsageAndAdminsAnyones() {
        assertEquals(0.5, resource.user("me", null, ALICE).total().costUsd());
        resource.user("alice", "7", ALICE);
        resource.user("bob", null, ADMIN);
        assertEquals(List.of("alice 30", "alice 7", "bob 30"), asked);
        assertEquals(
                new ApiProblem.Body(403, "forbidden", "Forbidden", "user alice may not access the runner of bob"),
                problem(() -> resource.user("bob", null, ALICE)));
    }

    @Test
    void everyonesUsageAndEavssStateAreForAdmins() {
        String rule = "usage of every user and eavs's state need an admin token";
        assertEquals(
                new ApiProblem.Body(403, "forbidden", "Forbidden", rule), problem(() -> resource.all(null, ALICE)));
        assertEquals(new ApiProblem.Body(403, "forbidden", "Forbidden", rule), problem(() -> resource.status(ALICE)));
        assertEquals(7, resource.all(null, ADMIN).days());
        assertEquals(List.of("openai"), resource.status(ADMIN).providers());
    }

    @Test
    void thePeriodIsOneToNinetyDays() {
        assertEquals(400, problem(() -> resource.user("me", "0", ALICE)).status());
        assertEquals(400, problem(() -> resource.all("91", ADMIN)).status());
        assertEquals(400, problem(() -> resource.all("seven", ADMIN)).status());
    }

    @Test
    void eavssFailuresAreNamedNotInternal() {
        failure = new EavsException(
                EavsException.Kind.UNREACHABLE,
                "eavs at http://127.0.0.1:3033 did not answer GET /admin/keys: connection refused",
                0,
                null,
                null);
        assertEquals(
                new ApiProblem.Body(
                        502,
                        "eavs_unreachable",
                        "eavs unreachable",
                        "eavs at http://127.0.0.1:3033 did not answer GET /admin/keys: connection refused"),
                problem(() -> resource.user("me", null, ALICE)));
        failure = new EavsException(
                EavsException.Kind.NOT_CONFIGURED,
                "eavs is not configured: set [eavs] base_url and master_key",
                0,
                null,
                null);
        assertEquals(503, problem(() -> resource.user("me", null, ALICE)).status());
        assertEquals(
                new ApiProblem.Body(
                        503, "eavs_unavailable", "eavs connector unavailable", "the eavs connector is not running"),
                problem(() -> new UsageResource(() -> null).status(ADMIN)));
    }
}
