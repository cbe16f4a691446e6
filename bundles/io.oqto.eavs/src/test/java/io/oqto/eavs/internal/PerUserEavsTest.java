package io.oqto.eavs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsStatus;
import io.oqto.api.eavs.UserEavs;
import io.oqto.api.unix.UserPorts;
import io.oqto.testing.eavs.FakeEavs;
import io.oqto.testing.llm.FakeLlm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-user mode: each user's own eavs found by the port their uid gives, with the master key made for them. */
class PerUserEavsTest {

    @TempDir
    Path state;

    @Test
    void eachUsersOwnEavsByTheirUidWithTheMasterKeyMadeForThem() throws Exception {
        MasterKeys keys = new MasterKeys(state.resolve("eavs"));
        String master = keys.getOrCreate("alice");
        Path file = state.resolve("eavs/alice.master-key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(master, keys.getOrCreate("alice"), "made once");
        try (FakeLlm llm = new FakeLlm(0);
                FakeEavs alicesEavs = FakeEavs.inFrontOf(llm.baseUrl(), FakeLlm.MODEL, master)) {
            int port = Integer.parseInt(alicesEavs.baseUrl().replaceAll(".*:", ""));
            // alice's uid is uid_min + 5, so her eavs is on user_port_base + 5.
            PerUserEavs eavs = new PerUserEavs(
                    "http://127.0.0.1:{port}",
                    new UserPorts("[eavs] user_port_base", port - 5, 2000),
                    keys,
                    "oqto_",
                    Duration.ofSeconds(5),
                    new KeyDefaults(3, "daily", 10),
                    name -> Optional.ofNullable(
                            Map.of("oqto_alice", 2005, "oqto_bob", 2006).get(name)));
            assertEquals(new UserEavs(port, master), eavs.userEavs("alice", 2005));
            assertFalse(eavs.userEavs("alice", 2005).toString().contains(master));

            eavs.issueKey("alice");
            assertEquals(1, eavs.keys("alice").size());
            assertEquals(3.0, eavs.keys("alice").get(0).budgetUsd());
            assertEquals(
                    List.of("alice"),
                    eavs.usageByOwner(2).total().stream().map(u -> u.owner()).toList());
            EavsStatus status = eavs.status();
            assertEquals(List.of(true, 1L), List.of(status.reachable(), status.totalKeys()), status.toString());

            EavsException e = assertThrows(EavsException.class, () -> eavs.keys("bob"));
            assertEquals(
                    "bob has no eavs of their own yet: provisioning makes it (oqtoctl user create)", e.getMessage());
            eavs.forgetUser("alice");
            assertTrue(Files.notExists(file));
        }
    }

    @Test
    void aUidBelowTheRangeOrAPortAboveItIsRefused() {
        UserPorts ports = new UserPorts("[eavs] user_port_base", 65000, 2000);
        assertEquals("http://127.0.0.1:65010", ports.url("http://127.0.0.1:{port}", 2010));
        assertEquals(
                "uid 3000 gives no port: [eavs] user_port_base 65000 + (uid - [usermgr] uid_min 2000) must be at most 65535",
                assertThrows(IllegalStateException.class, () -> ports.port(3000))
                        .getMessage());
        assertThrows(IllegalStateException.class, () -> ports.port(1999));
    }
}
