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
import org.jspecify.annotations.Nullable;
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
        new MmryConfigFiles(Duration.ofSeconds(30))
                .write(
                        nobody,
                        new Command.WriteMmryConfig("nobody", "http://10.0.0.5:8081", "central-key-1", null, null));
        Path config = nobody.home().resolve(".config/mmry/config.toml");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertEquals("nobody", Files.getOwner(config).getName());
        assertEquals("""
                # Written by oqto-usermgr at provisioning: oqto's part of mmry's configuration.
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
        new MmryConfigFiles(Duration.ofSeconds(30))
                .write(nobody, new Command.WriteMmryConfig("nobody", "http://10.0.0.5:8081", null, null, null));
        assertEquals(false, Files.readString(config).contains("api_key"), "written again without a key: replaced");
        assertEquals(false, Files.exists(nobody.home().resolve(".config/oqto/mmry.key")), "no per-user mmry: no key");
    }

    @Test
    void aPerUserMmryServesOnTheUsersPortBehindTheUsersKey() throws Exception {
        String key = "mmry-user-key-0123456789abcdef";
        Map<String, Object> result = new MmryConfigFiles(Duration.ofSeconds(30))
                .write(nobody, new Command.WriteMmryConfig("nobody", null, null, 48005, key));
        Path config = nobody.home().resolve(".config/mmry/config.toml");
        Path keyFile = nobody.home().resolve(".config/oqto/mmry.key");
        assertEquals(Map.of("config", config.toString(), "port", 48005), result);
        assertEquals("""
                # Written by oqto-usermgr at provisioning: oqto's part of mmry's configuration.
                [external_api]
                enabled = true
                host = "127.0.0.1"
                port = 48005
                require_api_key = true
                api_key = "mmry-user-key-0123456789abcdef"

                """, Files.readString(config));
        assertEquals(key + "\n", Files.readString(keyFile));
        for (Path p : List.of(config, keyFile)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            assertEquals("nobody", Files.getOwner(p).getName(), p.toString());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())));
    }

    @Test
    void theCommandTakesAUrlAndAKeyThatFitATomlString() throws Exception {
        Validation v = new Validation("oqto_", 2000, 60000);
        Map<String, Object> args = new HashMap<>();
        args.put("username", "oqto_alice");
        args.put("embeddings_url", "http://127.0.0.1:8081");
        args.put("api_key", null);
        args.put("port", null);
        args.put("user_key", null);
        assertEquals(
                "WriteMmryConfig[username=oqto_alice, embeddingsUrl=http://127.0.0.1:8081, port=null]",
                Command.parse(Map.of("cmd", "write-mmry-config", "args", args), v)
                        .toString());
        Map<String, Object> perUser = new HashMap<>(args);
        perUser.put("port", 48005);
        perUser.put("user_key", "secret-user-key-0123456789");
        assertEquals(
                "WriteMmryConfig[username=oqto_alice, embeddingsUrl=http://127.0.0.1:8081, port=48005]",
                Command.parse(Map.of("cmd", "write-mmry-config", "args", perUser), v)
                        .toString());
        record Bad(String key, @Nullable Object value, String error) {}
        for (Bad bad : List.of(
                new Bad(
                        "embeddings_url",
                        "http://x\"\n[keys]",
                        "embeddings_url must be an http(s) URL such as http://127.0.0.1:8081"),
                new Bad(
                        "embeddings_url",
                        "file:///etc/shadow",
                        "embeddings_url must be an http(s) URL such as http://127.0.0.1:8081"),
                new Bad("api_key", "k\"; evil = \"1", "api_key must be 8-512 of A-Z, a-z, 0-9 and . _ ~ + / = -"),
                new Bad("port", 80, "port must be a whole number between 1024 and 65535"),
                new Bad("user_key", "short", "user_key must be 16-128 of A-Z, a-z, 0-9, - and _"),
                new Bad("user_key", null, "port and user_key go together: mmry's HTTP API is never open"),
                new Bad("username", "root", "username \"root\" must start with oqto_ and have a name after it"))) {
            Map<String, Object> a = new HashMap<>(perUser);
            a.put(bad.key(), bad.value());
            assertEquals(
                    bad.error(),
                    assertThrows(
                                    Validation.Rejected.class,
                                    () -> Command.parse(Map.of("cmd", "write-mmry-config", "args", a), v),
                                    bad.toString())
                            .getMessage());
        }
        Map<String, Object> nothing = new HashMap<>(args);
        nothing.put("embeddings_url", null);
        assertEquals(
                "nothing to write: neither embeddings_url nor port",
                assertThrows(
                                Validation.Rejected.class,
                                () -> Command.parse(Map.of("cmd", "write-mmry-config", "args", nothing), v))
                        .getMessage());
    }
}
