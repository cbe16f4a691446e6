package io.oqto.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TomlConfigLoaderTest {

    private final TomlConfigLoader loader = new TomlConfigLoader(ConfigSchema.INSTANCE);

    @Test
    void readsEveryKnownSection() throws ConfigError {
        Map<String, Map<String, Object>> s = loader.parse("c.toml", """
                [server]
                port = 9090
                bind = "0.0.0.0"
                [runner]
                socket = "/run/user/1000/oqto-runner.sock"
                control_plane_user = "oqto"
                [routing]
                socket_pattern = "/run/user/{uid}/oqto-runner.sock"
                pool_size = 4
                autostart = false
                [auth]
                admin_token_file = "/tmp/admin.token\"""");
        assertEquals(9090L, s.get("server").get("port"));
        assertEquals("oqto", s.get("runner").get("control_plane_user"));
        assertEquals(false, s.get("routing").get("autostart"));
        assertEquals("/tmp/admin.token", s.get("auth").get("admin_token_file"));
    }

    @Test
    void eavsMoneyIsADecimalAndAWholeNumberWillDo() throws ConfigError {
        Map<String, Map<String, Object>> s = loader.parse("c.toml", """
                [eavs]
                base_url = "http://127.0.0.1:3033"
                master_key = "file:/etc/oqto/secrets/eavs-master-key"
                budget_usd = 12
                rpm_limit = 30""");
        assertEquals(12.0, s.get("eavs").get("budget_usd"));
        assertEquals(
                0.25,
                loader.parse("c.toml", "[eavs]\nbudget_usd = 0.25").get("eavs").get("budget_usd"));
    }

    @Test
    void aMissingFileMeansDefaults(@TempDir Path dir) throws ConfigError {
        Map<String, Map<String, Object>> s = loader.load(dir.resolve("absent.toml"));
        assertEquals(ConfigSchema.INSTANCE.sectionNames(), List.copyOf(s.keySet()));
        assertTrue(s.values().stream().allMatch(Map::isEmpty));
    }

    /** The broken-config corpus: each file and the exact error, naming file, line, column and key. */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "[server]\\nport = 8080\\nprot = 1           | c.toml:3:1: server.prot: unknown key (known in [server]: port, bind, state_dir, tls_cert, tls_key, hold_seconds)",
                "port = 8080                                  | c.toml:1:1: port: unknown key or section (known sections: server, runner, workspace, processes, programs, agent, routing, usermgr, eavs, history, memory, auth, audit, terminals)",
                "[sandbox]\\nenabled = true                   | c.toml:1:1: sandbox: unknown key or section (known sections: server, runner, workspace, processes, programs, agent, routing, usermgr, eavs, history, memory, auth, audit, terminals)",
                "[server]\\nport = \"8080\"                   | c.toml:2:1: server.port: must be an integer",
                "[server]\\nport = 70000                      | c.toml:2:1: server.port: must be between 1 and 65535, got 70000",
                "[server]\\nport = 0                          | c.toml:2:1: server.port: must be between 1 and 65535, got 0",
                "[server]\\nbind = \"example.com\"            | c.toml:2:1: server.bind: must be an IP address or localhost",
                "[runner]\\nsocket = \"relative.sock\"        | c.toml:2:1: runner.socket: must be an absolute path",
                "[runner]\\ncontrol_plane_user = \"Root!\"    | c.toml:2:1: runner.control_plane_user: must be a Linux user name",
                "[runner]\\nmax_frame_bytes = 10              | c.toml:2:1: runner.max_frame_bytes: must be between 1024 and 16777216, got 10",
                "[routing]\\nautostart = \"yes\"              | c.toml:2:1: routing.autostart: must be a boolean (true or false)",
                "[routing]\\nsocket_pattern = \"/run/{home}/s\" | c.toml:2:1: routing.socket_pattern: only {uid} and {user} may be used as placeholders",
                "[routing]\\npool_size = 1.5                  | c.toml:2:1: routing.pool_size: must be an integer",
                "[eavs]\\nbase_url = \"127.0.0.1:3033\"     | c.toml:2:1: eavs.base_url: must be an http(s) URL such as http://127.0.0.1:3033",
                "[eavs]\\nmaster_key = \"hunter2\"          | c.toml:2:1: eavs.master_key: must be file:/PATH, env:NAME or literal:VALUE",
                "[eavs]\\nmaster_key = \"env:1X\"           | c.toml:2:1: eavs.master_key: must be file:/PATH, env:NAME or literal:VALUE",
                "[eavs]\\nbudget_usd = \"5\"                | c.toml:2:1: eavs.budget_usd: must be a number",
                "[eavs]\\nbudget_usd = -1.5                 | c.toml:2:1: eavs.budget_usd: must be between 0.0 and 1000000.0, got -1.5",
                "[eavs]\\nbudget_window = \"yearly\"        | c.toml:2:1: eavs.budget_window: must be one of total, daily, weekly, monthly",
                "server = 1                                   | c.toml:1:1: server: must be a table [server]",
                "[server\\nport = 1                           | c.toml:1:8: syntax error: Unexpected end of line, expected ]",
                "[server]\\nport = 1\\nport = 2               | c.toml:3:1: syntax error: port previously defined at line 2, column 1",
            })
    void rejectsBrokenFilesWithExactErrors(String toml, String error) {
        String text = toml.strip().replace("\\n", "\n");
        ConfigError e = assertThrows(ConfigError.class, () -> loader.parse("c.toml", text));
        assertEquals(error, e.getMessage());
    }

    @Test
    void unreadableFileIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path d = Files.createDirectory(dir.resolve("config.toml"));
        ConfigError e = assertThrows(ConfigError.class, () -> loader.load(d));
        assertTrue(e.getMessage().startsWith(d + ": cannot read: "), e.getMessage());
    }

    @Test
    void aLiteralSecretInAFileOthersCanReadIsAnError(@TempDir Path dir) throws Exception {
        String literal =
                "[agent]\nproviders = [\"openai openai-completions https://api.example.com/v1 literal:sk-123 gpt-4o\"]\n";
        Path file = Files.writeString(dir.resolve("config.toml"), literal);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigError e = assertThrows(ConfigError.class, () -> loader.load(file));
        assertEquals(
                file
                        + ":2:1: agent.providers: the key of provider \"openai\" is written out (literal:) in a file every user "
                        + "can read (mode 0644): put it in a file only its service can read and write file:PATH, or use env:NAME",
                e.getMessage());
        // Readable by its owner and group only: allowed, as are references in a readable file.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(1, ((String[]) loader.load(file).get("agent").get("providers")).length);
        Path referenced = Files.writeString(
                dir.resolve("ref.toml"),
                literal.replace("literal:sk-123", "file:/etc/oqto/secrets/openai.key")
                        + "shared_provider_keys = true\n");
        Files.setPosixFilePermissions(referenced, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(true, loader.load(referenced).get("agent").get("shared_provider_keys"));
    }

    @Test
    void aWrittenOutEavsMasterKeyInAFileOthersCanReadIsAnError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config.toml"), "[eavs]\nmaster_key = \"literal:m-123\"\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigError e = assertThrows(ConfigError.class, () -> loader.load(file));
        assertEquals(
                file + ":2:1: eavs.master_key: the master key is written out (literal:) in a file every user can read "
                        + "(mode 0644): put it in a file only its service can read and write file:PATH, or use env:NAME",
                e.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals("literal:m-123", loader.load(file).get("eavs").get("master_key"));
    }

    @Test
    void environmentOverridesFollowOneRule() throws ConfigError {
        Map<String, Map<String, Object>> s = loader.parse("c.toml", "[server]\nport = 8080\n");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OQTO_SERVER__PORT", "9191");
        env.put("OQTO_RUNNER__SOCKET", "/tmp/r.sock");
        env.put("OQTO_ROUTING__AUTOSTART", "false");
        env.put("OQTO_CONFIG", "/ignored/by/this/rule");
        env.put("PATH", "/usr/bin");
        loader.applyEnvironment(s, env);
        assertEquals(9191L, s.get("server").get("port"));
        assertEquals("/tmp/r.sock", s.get("runner").get("socket"));
        assertEquals(false, s.get("routing").get("autostart"));
    }

    @ParameterizedTest(name = "[{index}] {0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "OQTO_SERVER__PROT   | 1     | environment OQTO_SERVER__PROT: names no known key [server] prot",
                "OQTO_NOPE__PORT     | 1     | environment OQTO_NOPE__PORT: names no known key [nope] port",
                "OQTO_SERVER__PORT   | eight | environment OQTO_SERVER__PORT: must be an integer",
                "OQTO_SERVER__PORT   | 99999 | environment OQTO_SERVER__PORT: must be between 1 and 65535, got 99999",
                "OQTO_ROUTING__AUTOSTART | yes | environment OQTO_ROUTING__AUTOSTART: must be a boolean (true or false)",
                "OQTO_RUNNER__SOCKET | rel.sock | environment OQTO_RUNNER__SOCKET: must be an absolute path",
            })
    void rejectsBadOverrides(String var, String value, String error) throws ConfigError {
        Map<String, Map<String, Object>> s = loader.parse("c.toml", "");
        ConfigError e = assertThrows(ConfigError.class, () -> loader.applyEnvironment(s, Map.of(var, value)));
        assertEquals(error, e.getMessage());
    }

    @Test
    void propertyNamesAreCamelCase() {
        assertEquals("socketPattern", KeySpec.string("socket_pattern", "").propertyName());
        assertEquals("port", KeySpec.string("port", "").propertyName());
        assertEquals("maxFrameBytes", KeySpec.string("max_frame_bytes", "").propertyName());
    }
}
