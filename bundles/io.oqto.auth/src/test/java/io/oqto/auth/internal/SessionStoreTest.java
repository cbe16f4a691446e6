package io.oqto.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.auth.BrowserSession;
import io.oqto.api.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Browser sessions: hashed on disk, ended by logout, by expiry and per user, and one-time login codes. */
class SessionStoreTest {

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-12-02T10:00:00Z"));

    private SessionStore store() throws Exception {
        return new SessionStore(dir.resolve("browser-sessions"), Duration.ofHours(12), clock);
    }

    @Test
    void aSessionIsFoundByItsCookieUntilItEndsOrExpires() throws Exception {
        SessionStore store = store();
        BrowserSession s = store.start("alice", Role.USER);
        assertTrue(s.cookie().matches("oqs_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"), s.cookie());
        assertEquals(Instant.parse("2026-12-02T22:00:00Z"), s.expires());
        assertEquals("session:" + s.id(), s.caller().tokenId());
        assertFalse(s.toString().contains(s.cookie()), "toString leaves the cookie out");

        String onDisk = Files.readString(dir.resolve("browser-sessions"));
        assertFalse(onDisk.contains(s.cookie().substring(17)), "only the hash is stored");
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("browser-sessions"))));

        Optional<BrowserSession> found = store().find(s.cookie());
        assertEquals(Optional.of(s), found, "kept across a restart");
        assertEquals(s.csrfToken(), found.get().csrfToken(), "the CSRF token comes from the cookie");
        assertEquals(Optional.empty(), store.find(s.cookie().substring(0, 17) + "A".repeat(43)), "wrong secret");
        assertEquals(Optional.empty(), store.find("oqs_garbage"));

        clock.now = clock.now.plus(Duration.ofHours(12));
        assertEquals(Optional.empty(), store.find(s.cookie()), "expired");
    }

    @Test
    void logoutEndsOneSessionAndEndAllEndsAUsersOthers() throws Exception {
        SessionStore store = store();
        BrowserSession laptop = store.start("alice", Role.USER);
        BrowserSession phone = store.start("alice", Role.USER);
        BrowserSession bobs = store.start("bob", Role.ADMIN);
        assertNotEquals(laptop.csrfToken(), phone.csrfToken());

        assertTrue(store.end(phone.cookie()));
        assertFalse(store.end(phone.cookie()));
        BrowserSession tablet = store.start("alice", Role.USER);
        assertEquals(1, store.endAll("alice", laptop.cookie()), "all but the one kept");
        assertTrue(store.find(laptop.cookie()).isPresent());
        assertFalse(store.find(tablet.cookie()).isPresent());
        assertEquals(1, store.endAll("alice", null));
        assertTrue(store().find(bobs.cookie()).isPresent(), "bob's is untouched, also on disk");
        assertFalse(store().find(laptop.cookie()).isPresent());
    }

    @Test
    void aLoginCodeSignsInOnceBeforeItExpires() throws Exception {
        SessionStore store = store();
        String code = store.loginCode("me", Role.ADMIN);
        assertTrue(code.matches("olc_[A-Za-z0-9_-]{43}"), code);
        BrowserSession s = store.redeem(code).orElseThrow();
        assertEquals(Role.ADMIN, s.role());
        assertEquals("me", s.user());
        assertEquals(Optional.empty(), store.redeem(code), "once");
        assertEquals(Optional.empty(), store.redeem("olc_" + "x".repeat(43)));
        assertEquals(Optional.empty(), store.redeem("not a code"));

        String late = store.loginCode("me", Role.ADMIN);
        clock.now = clock.now.plus(Duration.ofHours(13));
        assertEquals(Optional.empty(), store.redeem(late), "expired");
        String ended = store.loginCode("me", Role.ADMIN);
        store.endAll("me", null);
        assertEquals(Optional.empty(), store.redeem(ended), "ending a user's sessions ends their codes too");
    }
}
