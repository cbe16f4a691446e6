package io.oqto.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Role;
import io.oqto.api.users.NewUser;
import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.ProvisionedUser;
import io.oqto.api.users.ProvisioningException;
import io.oqto.api.users.ProvisioningException.Kind;
import io.oqto.api.users.UserProvisioning;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** /api/v1/admin/users: who may call it, what a body must be, and how provisioning failures read. */
class AdminUsersResourceTest {

    private static final AuthFilter.CallerContext ADMIN =
            new AuthFilter.CallerContext(new Caller("ops", Role.ADMIN, "t1"), false, "Bearer");
    private static final AuthFilter.CallerContext ALICE =
            new AuthFilter.CallerContext(new Caller("alice", Role.USER, "t2"), false, "Bearer");
    private static final PlatformUser BOB = new PlatformUser(
            "bob", "bob@example.com", Role.USER, "oqto_bob", 2001, PlatformUser.State.ACTIVE, Instant.ofEpochSecond(1));

    private RuntimeException failure;
    private boolean created = true;

    private final UserProvisioning provisioning = new UserProvisioning() {
        @Override
        public ProvisionedUser create(NewUser user) {
            if (failure != null) {
                throw failure;
            }
            return new ProvisionedUser(
                    BOB,
                    created,
                    created ? new IssuedToken("i", "bob", Role.USER, "oqto_secret") : null,
                    List.of("create-user"),
                    List.of("eavs"));
        }

        @Override
        public List<PlatformUser> list() {
            return List.of(BOB);
        }

        @Override
        public Optional<PlatformUser> find(String name) {
            return Optional.empty();
        }

        @Override
        public PlatformUser restartServices(String name) {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public PlatformUser disable(String name) {
            throw failure;
        }

        @Override
        public PlatformUser enable(String name) {
            throw failure;
        }

        @Override
        public boolean delete(String name, boolean keepHome) {
            return false;
        }
    };

    private final AdminUsersResource resource = new AdminUsersResource(() -> provisioning);

    private static ApiProblem.Body problem(Runnable call) {
        ApiProblem p = assertThrows(ApiProblem.class, call::run);
        return (ApiProblem.Body) p.toResponse().getEntity();
    }

    @Test
    void onlyAdminsAndOnlyWhileProvisioningRuns() {
        assertEquals(
                new ApiProblem.Body(403, "forbidden", "Forbidden", "managing users needs an admin token"),
                problem(() -> resource.list(ALICE)));
        AdminUsersResource without = new AdminUsersResource(() -> null);
        assertEquals(
                new ApiProblem.Body(
                        503,
                        "provisioning_unavailable",
                        "Provisioning unavailable",
                        "user provisioning is not running"),
                problem(() -> without.list(ADMIN)));
    }

    @Test
    void aBodyIsNameEmailAndRoleOnly() {
        String rule = "provisioning takes {\"name\", \"email\", \"role\"?}: name and email are strings";
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("name", "bob"),
                Map.of("name", "bob", "email", 7),
                Map.of("name", "bob", "email", "b@example.com", "uid", 0))) {
            assertEquals(
                    new ApiProblem.Body(400, "bad_request", "Bad request", rule),
                    problem(() -> resource.create(bad, ADMIN)),
                    bad.toString());
        }
        assertEquals(
                new ApiProblem.Body(400, "bad_request", "Bad request", "role must be user or admin"),
                problem(() -> resource.create(Map.of("name", "bob", "email", "b@example.com", "role", "root"), ADMIN)));
        assertEquals(
                new ApiProblem.Body(400, "bad_request", "Bad request", rule),
                problem(() -> resource.create(null, ADMIN)));
    }

    @Test
    void createdIs201WithTheTokenConvergedIs200WithNone() {
        Response r = resource.create(Map.of("name", "bob", "email", "b@example.com"), ADMIN);
        assertEquals(201, r.getStatus());
        assertEquals("oqto_secret", ((AdminUsersResource.Created) r.getEntity()).token());
        created = false;
        Response again = resource.create(Map.of("name", "bob", "email", "b@example.com", "role", "USER"), ADMIN);
        assertEquals(200, again.getStatus());
        assertEquals(null, ((AdminUsersResource.Created) again.getEntity()).token());
        assertEquals(
                new AdminUsersResource.UserView(
                        "bob", "bob@example.com", "user", "oqto_bob", 2001, "active", "1970-01-01T00:00:01Z"),
                ((AdminUsersResource.Created) again.getEntity()).user());
    }

    @Test
    void provisioningFailuresKeepTheirKindAndStep() {
        Map<Kind, ApiProblem.Body> expected = Map.of(
                Kind.INVALID, new ApiProblem.Body(400, "invalid_user", "Invalid user", "why"),
                Kind.CONFLICT, new ApiProblem.Body(409, "user_conflict", "Conflict", "why"),
                Kind.NOT_FOUND, new ApiProblem.Body(404, "user_not_found", "User not found", "why"),
                Kind.UNAVAILABLE,
                        new ApiProblem.Body(503, "provisioning_unavailable", "Provisioning unavailable", "why"),
                Kind.FAILED,
                        new ApiProblem.Body(
                                502,
                                "provisioning_failed",
                                "Provisioning failed",
                                "step start-services: why (what this run created was undone)"));
        for (Map.Entry<Kind, ApiProblem.Body> e : expected.entrySet()) {
            failure = new ProvisioningException(e.getKey(), "start-services", "why");
            assertEquals(
                    e.getValue(),
                    problem(() -> resource.create(Map.of("name", "bob", "email", "b@example.com"), ADMIN)));
        }
        assertEquals(
                new ApiProblem.Body(404, "user_not_found", "User not found", "no such user: carol"),
                problem(() -> resource.get("carol", ADMIN)));
    }
}
