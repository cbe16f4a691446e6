package io.oqto.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

    @TempDir
    Path dir;

    @Test
    void issuedTokensAuthenticateAndSurviveARestart() throws IOException {
        TokenStore store = new TokenStore(dir.resolve("tokens"));
        IssuedToken t = store.issue("alice", Role.USER);
        assertTrue(TokenStore.TOKEN.matcher(t.secret()).matches(), t.secret());
        assertEquals(Optional.of(new Caller("alice", Role.USER, t.id())), store.authenticate(t.secret()));
        TokenStore reloaded = new TokenStore(dir.resolve("tokens"));
        assertEquals(Optional.of(new Caller("alice", Role.USER, t.id())), reloaded.authenticate(t.secret()));
    }

    @Test
    void theFileHoldsHashesOnlyAndIsPrivate() throws IOException {
        TokenStore store = new TokenStore(dir.resolve("tokens"));
        IssuedToken t = store.issue("alice", Role.ADMIN);
        String file = Files.readString(dir.resolve("tokens"));
        assertFalse(file.contains(t.secret().substring(18)), "the secret part is not stored");
        assertTrue(file.contains(TokenStore.sha256(t.secret())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tokens"))));
        assertFalse(t.toString().contains(t.secret()), "toString never shows the secret");
    }

    @Test
    void revokingAUsersTokensEndsThemAndOnlyThem() throws IOException {
        TokenStore store = new TokenStore(dir.resolve("tokens"));
        IssuedToken a1 = store.issue("alice", Role.USER);
        IssuedToken a2 = store.issue("alice", Role.ADMIN);
        IssuedToken b = store.issue("bob", Role.USER);
        assertEquals(2, store.revokeAll("alice"));
        assertEquals(Optional.empty(), store.authenticate(a1.secret()));
        assertEquals(Optional.empty(), store.authenticate(a2.secret()));
        assertEquals("bob", store.authenticate(b.secret()).orElseThrow().user());
        TokenStore reloaded = new TokenStore(dir.resolve("tokens"));
        assertEquals(Optional.empty(), reloaded.authenticate(a1.secret()), "the revocation is stored");
        assertEquals(0, reloaded.revokeAll("alice"));
    }

    @Test
    void wrongOrMalformedTokensAreRejected() throws IOException {
        TokenStore store = new TokenStore(dir.resolve("tokens"));
        IssuedToken t = store.issue("alice", Role.USER);
        String tampered =
                t.secret().substring(0, t.secret().length() - 1) + (t.secret().endsWith("A") ? "B" : "A");
        for (String bad : new String[] {
            tampered,
            "",
            "oqto_",
            "Bearer " + t.secret(),
            t.secret() + " ",
            "oqto_000000000000_" + "A".repeat(43),
            t.secret().toUpperCase(java.util.Locale.ROOT)
        }) {
            assertEquals(Optional.empty(), store.authenticate(bad), bad);
        }
        assertEquals(Optional.empty(), store.authenticate(null));
    }

    @Test
    void aCorruptTokenFileIsAnErrorNamingTheLine() throws IOException {
        Files.writeString(dir.resolve("tokens"), "abc admin alice deadbeef 1\nbroken line\n");
        IOException e = assertThrows(IOException.class, () -> new TokenStore(dir.resolve("tokens")));
        assertEquals(
                dir.resolve("tokens") + ":2: unreadable token entry: expected 8 fields (or 5), got 2", e.getMessage());
    }

    @Test
    void callersReachTheirOwnRunnerAdminsAny() {
        assertTrue(new Caller("alice", Role.USER, "x").mayAccess("alice"));
        assertFalse(new Caller("alice", Role.USER, "x").mayAccess("bob"));
        assertTrue(new Caller("root", Role.ADMIN, "x").mayAccess("bob"));
    }

    @Test
    void privateFilesAreCreatedOwnerOnly() throws IOException {
        Path f = dir.resolve("sub").resolve("admin.token");
        io.oqto.api.unix.PrivateFiles.write(f, "secret\n");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("secret\n", Files.readString(f));
    }

    private final TestClock clock = new TestClock(Instant.parse("2026-12-02T10:00:00Z"));

    @Test
    void aNamedTokenThatExpiresIsRefusedAsExpiredFromItsExpiryOn() throws IOException {
        TokenStore store = new TokenStore(dir.resolve("tokens"), clock);
        IssuedToken t = store.issue("alice", Role.USER, "ci deploys", Instant.parse("2026-12-03T10:00:00Z"));
        assertEquals("alice", store.authenticate(t.secret()).orElseThrow().user());
        assertFalse(store.isExpired(t.secret()));
        clock.now = Instant.parse("2026-12-03T10:00:00Z");
        assertEquals(Optional.empty(), store.authenticate(t.secret()));
        assertTrue(store.isExpired(t.secret()), "expired, not unknown");
        assertFalse(store.isExpired("oqto_000000000000_" + "A".repeat(43)), "an unknown token is not expired");
        TokenInfo info = store.list("alice").get(0);
        assertEquals("ci deploys", info.name());
        assertTrue(info.expiredAt(clock.now));
        assertTrue(new TokenStore(dir.resolve("tokens"), clock).isExpired(t.secret()), "the expiry is stored");
    }

    @Test
    void lastUseIsRecordedToTheMinuteAndKept() throws IOException {
        TokenStore store = new TokenStore(dir.resolve("tokens"), clock);
        IssuedToken t = store.issue("alice", Role.USER, "laptop", null);
        assertNull(store.list("alice").get(0).lastUsedAt(), "never used");
        store.authenticate(t.secret());
        assertEquals(clock.now, store.list("alice").get(0).lastUsedAt());
        Instant first = clock.now;
        clock.now = clock.now.plusSeconds(59);
        store.authenticate(t.secret());
        assertEquals(first, store.list("alice").get(0).lastUsedAt(), "not rewritten within the minute");
        clock.now = clock.now.plusSeconds(1);
        store.authenticate(t.secret());
        assertEquals(clock.now, store.list("alice").get(0).lastUsedAt());
        assertEquals(
                clock.now,
                new TokenStore(dir.resolve("tokens"), clock)
                        .list("alice")
                        .get(0)
                        .lastUsedAt());
    }

    @Test
    void oneTokenIsRevokedAndTheUsersOthersKeepWorking() throws IOException {
        TokenStore store = new TokenStore(dir.resolve("tokens"), clock);
        IssuedToken leaked = store.issue("alice", Role.USER, "leaked", null);
        IssuedToken kept = store.issue("alice", Role.USER, "kept", null);
        IssuedToken bobs = store.issue("bob", Role.USER, "bobs", null);
        assertEquals(
                List.of("leaked", "kept", "bobs"),
                store.list(null).stream().map(TokenInfo::name).toList(),
                "oldest first");
        assertEquals(
                List.of("kept"),
                store.list("alice").stream()
                        .filter(i -> i.id().equals(kept.id()))
                        .map(TokenInfo::name)
                        .toList());
        assertEquals("leaked", store.revoke(leaked.id()).orElseThrow().name());
        assertEquals(Optional.empty(), store.authenticate(leaked.secret()));
        assertEquals("alice", store.authenticate(kept.secret()).orElseThrow().user());
        assertEquals("bob", store.authenticate(bobs.secret()).orElseThrow().user());
        assertEquals(Optional.empty(), store.revoke(leaked.id()), "gone already");
        assertEquals(
                Optional.empty(),
                new TokenStore(dir.resolve("tokens"), clock).authenticate(leaked.secret()),
                "the revocation is stored");
    }

    @Test
    void badNamesAndPastExpiriesAreRefusedAndNothingIsIssued() throws IOException {
        TokenStore store = new TokenStore(dir.resolve("tokens"), clock);
        for (String bad : List.of(" leading space", "new\nline", "x".repeat(65), "quote\"", "tab\there")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> store.issue("alice", Role.USER, bad, null));
            assertEquals(
                    "a token's name is 1 to 64 letters, digits, spaces, dots, dashes or underscores, not starting"
                            + " with a space",
                    e.getMessage(),
                    bad);
        }
        assertEquals(
                "the expiry 2026-12-02T10:00:00Z has passed",
                assertThrows(IllegalArgumentException.class, () -> store.issue("alice", Role.USER, "late", clock.now))
                        .getMessage());
        assertEquals(List.of(), store.list(null));
        IssuedToken unicode = store.issue("alice", Role.USER, "Grüße-laptop 2.0", null);
        assertEquals(
                "Grüße-laptop 2.0",
                new TokenStore(dir.resolve("tokens"), clock)
                        .list("alice")
                        .get(0)
                        .name(),
                "any letters, kept exactly: " + unicode.id());
    }

    @Test
    void tokensStoredBeforeTheyHadNamesStillWork() throws IOException {
        TokenStore old = new TokenStore(dir.resolve("tokens"), clock);
        IssuedToken t = old.issue("alice", Role.ADMIN);
        String line = Files.readString(dir.resolve("tokens")).strip();
        String[] f = line.split(" ", -1);
        Files.writeString(dir.resolve("tokens"), String.join(" ", f[0], f[1], f[2], f[3], f[4]) + "\n");
        TokenStore store = new TokenStore(dir.resolve("tokens"), clock);
        assertEquals(Role.ADMIN, store.authenticate(t.secret()).orElseThrow().role());
        TokenInfo info = store.list("alice").get(0);
        assertEquals("", info.name());
        assertNull(info.expiresAt());
        assertEquals(8, Files.readString(dir.resolve("tokens")).strip().split(" ", -1).length, "rewritten in full");
    }
}
