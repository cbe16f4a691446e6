package io.oqto.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SandboxFileParserTest {

    @Test
    void readsACustomProfileAndTheNetworkMode() throws Exception {
        SandboxSettings s = SandboxFileParser.parse("s.toml", """
                enabled = true
                profile = "team"
                [profiles.team]
                deny_read = ["~/.ssh", "/srv/secrets"]
                allow_write = ["/tmp", "~/.cache"]
                isolate_pid = true
                extra_ro_bind = ["/opt/tools"]
                [network]
                mode = "isolated\"""");
        assertTrue(s.enabled());
        assertEquals("team", s.profileName());
        assertEquals(List.of("~/.ssh", "/srv/secrets"), s.profile().denyRead());
        assertTrue(s.profile().isolatePid());
        assertTrue(s.profile().isolateNetwork(), "[network] mode = isolated isolates the chosen profile");
        assertEquals(List.of("/opt/tools"), s.profile().extraRoBind());
    }

    @Test
    void defaultsToTheDevelopmentProfileDisabled() throws Exception {
        SandboxSettings s = SandboxFileParser.parse("s.toml", "");
        assertFalse(s.enabled());
        assertEquals(BuiltinProfiles.ALL.get("development"), s.profile());
    }

    /** Keys in the wrong place are errors: the original Oqto ignored them and enforced something else. */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "deny_read = [\"~/.ssh\"]                       | s.toml:1:1: deny_read: profile keys belong in a [profiles.<name>] table",
                "seccomp_mode = \"enforce\"                     | s.toml:1:1: seccomp_mode: unknown key (known: enabled, profile, [profiles.<name>], [network])",
                "isolate_pid = true                             | s.toml:1:1: isolate_pid: profile keys belong in a [profiles.<name>] table",
                "enabled = \"yes\"                              | s.toml:1:1: enabled: must be a boolean (true or false)",
                "profile = \"paranoid\"                         | s.toml:1:1: profile: no profile \"paranoid\" (built in: minimal, development, strict; defined here: )",
                "profile = 3                                    | s.toml:1:1: profile: must be a string",
                "[profiles.x]\\ndeny_red = []                   | s.toml:2:1: profiles.x.deny_red: unknown key (known: allow_write, deny_read, deny_write, extra_ro_bind, extra_rw_bind, drop_all_caps, isolate_network, isolate_pid)",
                "[profiles.x]\\ndeny_read = \"~/.ssh\"          | s.toml:2:1: profiles.x.deny_read: must be an array of paths",
                "[profiles.x]\\ndeny_read = [1]                 | s.toml:2:1: profiles.x.deny_read: must be an array of paths",
                "[profiles.x]\\nallow_write = [\"relative\"]    | s.toml:2:1: profiles.x.allow_write: \"relative\" must be absolute or start with ~/, without ..",
                "[profiles.x]\\nallow_write = [\"~/../etc\"]    | s.toml:2:1: profiles.x.allow_write: \"~/../etc\" must be absolute or start with ~/, without ..",
                "[profiles.x]\\nisolate_pid = 1                | s.toml:2:1: profiles.x.isolate_pid: must be a boolean (true or false)",
                "profiles = 1                                   | s.toml:1:1: profiles: must be a table of [profiles.<name>] tables",
                "[network]\\nmode = \"proxy\"                   | s.toml:2:1: network.mode: must be \"open\" or \"isolated\"",
                "[network]\\nallow_domains = []                 | s.toml:2:1: network.allow_domains: unknown key (known in [network]: mode)",
                "enabled = true\\nenabled = false               | s.toml:2:1: syntax error: enabled previously defined at line 1, column 1",
            })
    void rejectsWithExactErrors(String toml, String error) {
        SandboxFileParser.SandboxFileException e = assertThrows(
                SandboxFileParser.SandboxFileException.class,
                () -> SandboxFileParser.parse("s.toml", toml.strip().replace("\\n", "\n")));
        assertEquals(error, e.getMessage());
    }
}
