package io.oqto.routing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.runner.UnknownUserException;
import io.oqto.api.unix.UnixAccount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Multi-user lookups: remembered once found, never remembered when missing, forgotten on request. */
class UserDirectoryTest {

    private final Map<String, UnixAccount> passwd = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();
    private final UserDirectory users =
            new UserDirectory(false, "oqto_", new UnixAccount("oqto", 990, 990, "/var/lib/oqto"), name -> {
                lookups.add(name);
                return Optional.ofNullable(passwd.get(name));
            });

    @Test
    void aFoundAccountIsLookedUpOnceAndAMissingOneEveryTime() {
        assertThrows(UnknownUserException.class, () -> users.accountOf("alice"));
        passwd.put("oqto_alice", new UnixAccount("oqto_alice", 2000, 2000, "/home/oqto_alice"));
        assertEquals(2000, users.accountOf("alice").uid(), "a user created a moment ago is found at once");
        assertEquals(2000, users.accountOf("alice").uid());
        assertEquals(List.of("oqto_alice", "oqto_alice"), lookups);
    }

    @Test
    void aForgottenAccountIsLookedUpAgain() {
        passwd.put("oqto_alice", new UnixAccount("oqto_alice", 2000, 2000, "/home/oqto_alice"));
        users.accountOf("alice");
        passwd.remove("oqto_alice");
        assertTrue(users.forget("alice"));
        assertFalse(users.forget("alice"));
        UnknownUserException e = assertThrows(UnknownUserException.class, () -> users.accountOf("alice"));
        assertEquals("no such user: alice (no Linux account oqto_alice)", e.getMessage());
    }

    @Test
    void namesThatAreNotPlatformUserNamesAreNeverLookedUp() {
        for (String bad : List.of("Alice", "a;b", "../x", "")) {
            assertThrows(UnknownUserException.class, () -> users.accountOf(bad));
        }
        assertEquals(List.of(), lookups);
    }
}
