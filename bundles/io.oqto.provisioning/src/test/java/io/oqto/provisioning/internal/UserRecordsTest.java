package io.oqto.provisioning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.api.auth.Role;
import io.oqto.api.users.PlatformUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserRecordsTest {

    @TempDir
    Path dir;

    @Test
    void recordsSurviveARestartInAPrivateFile() throws IOException {
        UserRecords records = new UserRecords(dir.resolve("users"));
        PlatformUser alice = new PlatformUser(
                "alice",
                "alice@example.com",
                Role.ADMIN,
                "oqto_alice",
                2000,
                PlatformUser.State.DISABLED,
                Instant.ofEpochSecond(1_700_000_000L));
        records.put(alice);
        records.put(new PlatformUser(
                "bob",
                "bob@example.com",
                Role.USER,
                "oqto_bob",
                2001,
                PlatformUser.State.ACTIVE,
                Instant.ofEpochSecond(1_700_000_001L)));
        records.remove("bob");
        assertEquals(
                "alice admin disabled 2000 oqto_alice 1700000000 alice@example.com\n",
                Files.readString(dir.resolve("users")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("users"))));
        assertEquals(List.of(alice), new UserRecords(dir.resolve("users")).list());
    }

    @Test
    void aBrokenFileIsAnErrorNamingTheLine() throws IOException {
        Files.writeString(
                dir.resolve("users"),
                "alice user active 2000 oqto_alice 1 a@example.com\nbob user sleeping 2001 oqto_bob 1 b@x.io\n");
        IOException e = assertThrows(IOException.class, () -> new UserRecords(dir.resolve("users")));
        assertEquals(dir.resolve("users") + ":2: unreadable user entry: unknown state sleeping", e.getMessage());
        Files.writeString(dir.resolve("users"), "alice user active x oqto_alice 1 a@example.com\n");
        assertEquals(
                dir.resolve("users") + ":1: unreadable user entry: uid x is not a number",
                assertThrows(IOException.class, () -> new UserRecords(dir.resolve("users")))
                        .getMessage());
        Files.writeString(dir.resolve("users"), "alice user active\n");
        assertEquals(
                dir.resolve("users") + ":1: unreadable user entry: expected 7 fields, got 3",
                assertThrows(IOException.class, () -> new UserRecords(dir.resolve("users")))
                        .getMessage());
    }
}
