package io.oqto.api.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnixAccountsTest {

    @Test
    void parsesPasswdLine() {
        UnixAccount a = UnixAccounts.parse("alice:x:2001:2002:Alice:/home/alice:/bin/bash")
                .orElseThrow();
        assertEquals(new UnixAccount("alice", 2001, 2002, "/home/alice"), a);
    }

    @Test
    void rejectsShortOrNonNumericLines() {
        assertTrue(UnixAccounts.parse("alice:x:abc:1::/home/a:/bin/sh").isEmpty());
        assertTrue(UnixAccounts.parse("alice:x:1").isEmpty());
    }

    @Test
    void refusesNamesThatAreNotUserNames() {
        assertTrue(UnixAccounts.byName("root; rm -rf /").isEmpty());
        assertTrue(UnixAccounts.byName("../etc").isEmpty());
        assertTrue(UnixAccounts.byName("").isEmpty());
    }

    @Test
    void findsRootAndOwnUid() {
        assertEquals(0, UnixAccounts.byName("root").orElseThrow().uid());
        int me = UnixAccounts.currentUid();
        assertEquals(me, UnixAccounts.byUid(me).orElseThrow().uid());
    }
}
