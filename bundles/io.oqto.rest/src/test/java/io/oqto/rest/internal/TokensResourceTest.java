package io.oqto.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenInfo;
import io.oqto.api.auth.TokenService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.ws.rs.core.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** /api/v1/users/{user}/tokens: whose tokens a caller sees and makes, the roles they get, and refusals. */
class TokensResourceTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final AuthFilter.CallerContext ADMIN =
            new AuthFilter.CallerContext(new Caller("ops", Role.ADMIN, "t1"), false, "Bearer");
    private static final AuthFilter.CallerContext ALICE =
            new AuthFilter.CallerContext(new Caller("alice", Role.USER, "t2"), false, "Bearer");

    /** The token service's behaviour the resource relies on, in memory. */
    private final List<TokenInfo> stored = new ArrayList<>();

    private final TokenService tokens = new TokenService() {
        @Override
        public Optional<Caller> authenticate(String bearerToken) {
            return Optional.empty();
        }

        @Override
        public IssuedToken issue(String user, Role role) {
            throw new AssertionError("the resource issues named tokens");
        }

        @Override
        public IssuedToken issue(String user, Role role, String name, @Nullable Instant expiresAt) {
            if (name.contains("\n")) {
                throw new IllegalArgumentException("bad name");
            }
            String id = "id" + stored.size();
            stored.add(new TokenInfo(id, user, role, name, NOW, expiresAt, null));
            return new IssuedToken(id, user, role, "oqto_secret_" + id);
        }

        @Override
        public List<TokenInfo> list(@Nullable String user) {
            return stored.stream()
                    .filter(t -> user == null || t.user().equals(user))
                    .toList();
        }

        @Override
        public Optional<TokenInfo> revoke(String id) {
            Optional<TokenInfo> t =
                    stored.stream().filter(i -> i.id().equals(id)).findFirst();
            t.ifPresent(stored::remove);
            return t;
        }

        @Override
        public int revokeAll(String user) {
            throw new AssertionError("one at a time");
        }
    };

    private final TokensResource resource = new TokensResource(
            tokens,
            new Bodies(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static ApiProblem.Body problem(Runnable call) {
        return (ApiProblem.Body)
                assertThrows(ApiProblem.class, call::run).toResponse().getEntity();
    }

    @Test
    void aUserMakesNamedTokensOfTheirOwnRoleSeesTheSecretOnceAndRevokesOne() {
        Response made = resource.create("me", Map.of("name", "laptop", "expires_at", "2027-01-31T12:00:00Z"), ALICE);
        assertEquals(201, made.getStatus());
        TokensResource.TokenView view = (TokensResource.TokenView) made.getEntity();
        assertEquals(
                new TokensResource.TokenView(
                        "id0",
                        "alice",
                        "user",
                        "laptop",
                        "2026-12-02T10:00:00Z",
                        "2027-01-31T12:00:00Z",
                        null,
                        false,
                        "oqto_secret_id0"),
                view);
        List<TokensResource.TokenView> listed = resource.list("alice", ALICE);
        assertEquals(1, listed.size());
        assertNull(listed.get(0).secret(), "the secret is shown only when made");
        assertEquals(204, resource.revoke("me", "id0", ALICE).getStatus());
        assertEquals(List.of(), resource.list("me", ALICE));
    }

    @Test
    void anotherUsersTokensAreForbiddenAndTheirIdsAreNotFoundOnOnesOwnRoute() {
        resource.create("bob", Map.of("name", "bobs"), ADMIN);
        assertEquals(
                new ApiProblem.Body(403, "forbidden", "Forbidden", "user alice may not access the runner of bob"),
                problem(() -> resource.list("bob", ALICE)));
        assertEquals(
                new ApiProblem.Body(403, "forbidden", "Forbidden", "user alice may not access the runner of bob"),
                problem(() -> resource.revoke("bob", "id0", ALICE)));
        assertEquals(
                new ApiProblem.Body(404, "token_not_found", "Not found", "user alice has no token id0"),
                problem(() -> resource.revoke("me", "id0", ALICE)));
        assertEquals(1, stored.size(), "bob's token is untouched");
        assertEquals(204, resource.revoke("bob", "id0", ADMIN).getStatus(), "an admin revokes anyone's");
    }

    @Test
    void rolesNeverExceedTheMakersAndBadBodiesAreRefusedByName() {
        resource.create("bob", Map.of("name", "for bob"), ADMIN);
        assertEquals(Role.USER, stored.get(0).role(), "an admin's token for another user is a user token by default");
        resource.create("me", Map.of("name", "ops"), ADMIN);
        assertEquals(Role.ADMIN, stored.get(1).role(), "an admin's own is an admin token");
        assertEquals(
                new ApiProblem.Body(403, "forbidden", "Forbidden", "only an admin makes admin tokens"),
                problem(() -> resource.create("me", Map.of("name", "x", "role", "admin"), ALICE)));
        assertEquals(
                new ApiProblem.Body(400, "bad_request", "Bad request", "a token needs a name (what it is for)"),
                problem(() -> resource.create("me", Map.of(), ALICE)));
        assertEquals(
                new ApiProblem.Body(
                        400,
                        "bad_request",
                        "Bad request",
                        "expires_at is a UTC time like 2027-01-31T12:00:00Z, not tomorrow"),
                problem(() -> resource.create("me", Map.of("name", "x", "expires_at", "tomorrow"), ALICE)));
        assertEquals(
                new ApiProblem.Body(400, "bad_request", "Bad request", "bad name"),
                problem(() -> resource.create("me", Map.of("name", "a\nb"), ALICE)));
        assertEquals(
                new ApiProblem.Body(
                        400, "bad_request", "Bad request", "a new token takes only [expires_at, name, role]"),
                problem(() -> resource.create("me", Map.of("name", "x", "secret", "mine"), ALICE)));
        assertEquals(2, stored.size(), "nothing made for a refused request");
    }
}
