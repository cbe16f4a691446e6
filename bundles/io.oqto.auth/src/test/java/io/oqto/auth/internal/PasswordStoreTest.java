package io.oqto.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.auth.PasswordException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passwords: the policy's exact words, hashes only on disk (0600), kept across restarts, forgotten on delete. */
class PasswordStoreTest {

    @TempDir
    Path dir;

    @Test
    void aPasswordIsCheckedAndKeptAsAHashOnly() throws Exception {
        Path file = dir.resolve("passwords");
        PasswordStore store = new PasswordStore(file);
        assertFalse(store.isSet("alice"));
        assertFalse(store.verify("alice", "anything at all".toCharArray()), "no password: no sign-in");
        store.set("alice", "correct horse battery".toCharArray());
        assertTrue(store.verify("alice", "correct horse battery".toCharArray()));
        assertFalse(store.verify("alice", "correct horse battery ".toCharArray()));
        assertFalse(store.verify("bob", "correct horse battery".toCharArray()));

        String onDisk = Files.readString(file);
        assertFalse(onDisk.contains("correct horse"), onDisk);
        assertTrue(onDisk.startsWith("alice $argon2id$v=19$m=19456,t=2,p=1$"), onDisk);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        PasswordStore again = new PasswordStore(file);
        assertTrue(again.verify("alice", "correct horse battery".toCharArray()), "kept across a restart");
        assertTrue(again.remove("alice"));
        assertFalse(again.remove("alice"));
        assertFalse(new PasswordStore(file).isSet("alice"));
    }

    @Test
    void thePolicyRefusesWithTheRuleItBreaks() throws Exception {
        PasswordStore store = new PasswordStore(dir.resolve("passwords"));
        assertEquals(
                "a password needs at least 8 characters",
                assertThrows(PasswordException.class, () -> store.set("alice", "short".toCharArray()))
                        .getMessage());
        assertEquals(
                "a password may have at most 1024 characters",
                assertThrows(
                                PasswordException.class,
                                () -> store.set("alice", "x".repeat(1025).toCharArray()))
                        .getMessage());
        assertEquals(
                "a password may not be the user's name",
                assertThrows(PasswordException.class, () -> store.set("alicealice", "AliceAlice".toCharArray()))
                        .getMessage());
        assertFalse(store.isSet("alice"), "nothing was stored");
        store.set("alice", "☃☃☃☃☃☃☃☃".toCharArray()); // eight characters, whatever their bytes
        assertTrue(store.verify("alice", "☃☃☃☃☃☃☃☃".toCharArray()));
    }

    @Test
    void aDamagedFileIsRefusedNamingTheLine() throws Exception {
        Path file =
                Files.writeString(dir.resolve("passwords"), "alice $argon2id$v=19$m=1,t=1,p=1$a$b\nbob plaintext\n");
        assertEquals(
                file + ":2: unreadable password entry: expected <user> <argon2id hash>",
                assertThrows(java.io.IOException.class, () -> new PasswordStore(file))
                        .getMessage());
    }
}
