package io.oqto.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        assertEquals(dir.resolve("tokens") + ":2: unreadable token entry: expected 5 fields, got 2", e.getMessage());
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
}
