package io.oqto.usermgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own eavs config, written for real as the user ({@code nobody} with a scratch home: the helper runs as
 * root, and so must this test; it fails rather than skips elsewhere).
 */
class EavsConfigFilesTest {

    @TempDir
    Path dir;

    private Account nobody;
    private Path providers;

    @BeforeEach
    void setUp() throws Exception {
        assertEquals(0, (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"), "the helper runs as root");
        Path home = Files.createDirectories(dir.resolve("home"));
        UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(home, users.lookupPrincipalByName("nobody"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        nobody = new Account("nobody", 65534, 65534, home);
        providers = Files.writeString(
                dir.resolve("eavs-user.toml"),
                "[providers.openai]\ntype = \"openai\"\napi_key = \"env:OPENAI_API_KEY\"\n");
    }

    @Test
    void theConfigAndTheMasterKeyAreTheUsersOwnerOnly() throws Exception {
        String key = "k".repeat(32);
        new EavsConfigFiles(providers, Duration.ofSeconds(30)).write(nobody, 41007, key);
        Path config = nobody.home().resolve(".config/eavs/config.toml");
        Path env = nobody.home().resolve(".config/eavs/env");
        for (Path p : List.of(config, env)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            assertEquals("nobody", Files.getOwner(p).getName(), p.toString());
        }
        assertEquals("EAVS_MASTER_KEY=" + key + "\n", Files.readString(env));
        String text = Files.readString(config);
        assertTrue(text.contains("[server]\nhost = \"127.0.0.1\"\nport = 41007\n"), text);
        assertTrue(text.contains("master_key = \"env:EAVS_MASTER_KEY\""), text);
        assertTrue(text.endsWith("[providers.openai]\ntype = \"openai\"\napi_key = \"env:OPENAI_API_KEY\"\n"), text);
        assertFalse(text.contains(key), "the key is in env only");

        // Written again (re-provisioning): replaced, not appended.
        new EavsConfigFiles(providers, Duration.ofSeconds(30)).write(nobody, 41008, "m".repeat(20));
        assertEquals("EAVS_MASTER_KEY=" + "m".repeat(20) + "\n", Files.readString(env));
    }

    @Test
    void aSymlinkTheUserPlantedLeadsNowhereTheUserCannotWrite() throws Exception {
        Path target = Files.createDirectories(dir.resolve("root-only"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(nobody.home().resolve(".config"));
        Files.createSymbolicLink(nobody.home().resolve(".config/eavs"), target);
        Handler.Failed e = assertThrows(
                Handler.Failed.class,
                () -> new EavsConfigFiles(providers, Duration.ofSeconds(30)).write(nobody, 41007, "k".repeat(32)));
        assertTrue(
                e.getMessage().startsWith("cannot write ~nobody/.config/eavs/config.toml as nobody:"), e.getMessage());
        try (var files = Files.list(target)) {
            assertEquals(0, files.count(), "nothing written where the link points");
        }
    }

    @Test
    void anOperatorPartThatSetsOqtosSectionsIsRefused() throws Exception {
        Files.writeString(providers, "[keys]\nrequire_key = false\n");
        Handler.Failed e = assertThrows(
                Handler.Failed.class,
                () -> new EavsConfigFiles(providers, Duration.ofSeconds(30)).write(nobody, 41007, "k".repeat(32)));
        assertEquals(
                providers + " ([eavs] user_config) may not set [server] or [keys]: oqto writes them", e.getMessage());
        assertFalse(Files.exists(nobody.home().resolve(".config/eavs/env")));
    }

    @Test
    void theCommandTakesAPortAndAGeneratedKeyOnly() throws Exception {
        Validation v = new Validation("oqto_", 2000, 60000);
        Command c = Command.parse(
                Map.of(
                        "cmd",
                        "write-eavs-config",
                        "args",
                        Map.of("username", "oqto_alice", "port", 41000, "master_key", "k".repeat(32))),
                v);
        assertEquals("WriteEavsConfig[username=oqto_alice, port=41000]", c.toString());
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("username", "oqto_alice", "port", 80, "master_key", "k".repeat(32)),
                Map.of("username", "oqto_alice", "port", 41000, "master_key", "short"),
                Map.of("username", "oqto_alice", "port", 41000, "master_key", "k".repeat(30) + "\nX=1"),
                Map.of("username", "root", "port", 41000, "master_key", "k".repeat(32)))) {
            assertThrows(
                    Validation.Rejected.class,
                    () -> Command.parse(Map.of("cmd", "write-eavs-config", "args", bad), v),
                    bad.toString());
        }
    }
}
