package io.oqto.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLocationTest {

    @Test
    void explicitVariableWins() {
        assertEquals(Path.of("/srv/oqto.toml"),
                ConfigLocation.resolve(Map.of("OQTO_CONFIG", "/srv/oqto.toml"), "multi-user", "/home/a"));
    }

    @Test
    void frameworkPropertyComesAfterTheVariable() {
        assertEquals(Path.of("/p.toml"), ConfigLocation.resolve(Map.of(), "/p.toml", "multi-user", "/home/a"));
        assertEquals(Path.of("/v.toml"), ConfigLocation.resolve(Map.of("OQTO_CONFIG", "/v.toml"), "/p.toml", null, "/h"));
    }

    @Test
    void multiUserReadsEtc() {
        assertEquals(Path.of("/etc/oqto/config.toml"), ConfigLocation.resolve(Map.of(), "multi-user", "/home/a"));
    }

    @Test
    void singleUserReadsTheUsersConfigDirectory() {
        assertEquals(Path.of("/home/a/.config/oqto/config.toml"), ConfigLocation.resolve(Map.of(), null, "/home/a"));
        assertEquals(Path.of("/xdg/oqto/config.toml"),
                ConfigLocation.resolve(Map.of("XDG_CONFIG_HOME", "/xdg"), "single-user", "/home/a"));
        assertEquals(Path.of("/home/a/.config/oqto/config.toml"),
                ConfigLocation.resolve(Map.of("XDG_CONFIG_HOME", "relative"), "single-user", "/home/a"),
                "a relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored");
    }
}
