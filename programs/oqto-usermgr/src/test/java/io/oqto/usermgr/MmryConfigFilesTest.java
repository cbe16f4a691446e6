package io.oqto.usermgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's mmry config delegating embeddings to the central service, written for real as the user ({@code nobody}
 * with a scratch home: the helper runs as root, and so must this test).
 */
class MmryConfigFilesTest {

    @TempDir
    Path dir;

    private Account nobody;

    @BeforeEach
    void setUp() throws Exception {
        assertEquals(0, (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"), "the helper runs as root");
        Path home = Files.createDirectories(dir.resolve("home"));
        UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(home, users.lookupPrincipalByName("nobody"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        nobody = new Account("nobody", 65534, 65534, home);
    }

    @Test
    void theConfigDelegatesEmbeddingsAndIsTheUsersAlone() throws Exception {
        new MmryConfigFiles(Duration.ofSeconds(30)).write(nobody, "http://10.0.0.5:8081", "central-key-1");
        Path config = nobody.home().resolve(".config/mmry/config.toml");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertEquals("nobody", Files.getOwner(config).getName());
        assertEquals("""
                # Written by oqto-usermgr at provisioning: embeddings are delegated to the central service.
                [embeddings]
                enabled = true
                backend = "remote"

                [embeddings.remote]
                base_url = "http://10.0.0.5:8081"
                api_key = "central-key-1"
                required = false

                [search]
                rerank_enabled = false
                """, Files.readString(config));
        new MmryConfigFiles(Duration.ofSeconds(30)).write(nobody, "http://10.0.0.5:8081", null);
        assertEquals(false, Files.readString(config).contains("api_key"), "written again without a key: replaced");
    }

    @Test
    void theCommandTakesAUrlAndAKeyThatFitATomlString() throws Exception {
        Validation v = new Validation("oqto_", 2000, 60000);
        Map<String, Object> args = new HashMap<>();
        args.put("username", "oqto_alice");
        args.put("embeddings_url", "http://127.0.0.1:8081");
        args.put("api_key", null);
        assertEquals(
                "WriteMmryConfig[username=oqto_alice, embeddingsUrl=http://127.0.0.1:8081]",
                Command.parse(Map.of("cmd", "write-mmry-config", "args", args), v)
                        .toString());
        for (Map.Entry<String, Object> bad : List.<Map.Entry<String, Object>>of(
                Map.entry("embeddings_url", "http://x\"\n[keys]"),
                Map.entry("embeddings_url", "file:///etc/shadow"),
                Map.entry("api_key", "k\"; evil = \"1"),
                Map.entry("username", "root"))) {
            Map<String, Object> a = new HashMap<>(args);
            a.put(bad.getKey(), bad.getValue());
            assertThrows(
                    Validation.Rejected.class,
                    () -> Command.parse(Map.of("cmd", "write-mmry-config", "args", a), v),
                    bad.toString());
        }
    }
}
