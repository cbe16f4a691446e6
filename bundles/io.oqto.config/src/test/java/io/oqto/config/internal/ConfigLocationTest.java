package io.oqto.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.oqto.api.unix.DeploymentMode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLocationTest {

    @Test
    void explicitVariableWins() {
        assertEquals(
                Path.of("/srv/oqto.toml"),
                ConfigLocation.resolve(
                        Map.of("OQTO_CONFIG", "/srv/oqto.toml"), DeploymentMode.MULTI_USER, Path.of("/home/a")));
    }

    @Test
    void frameworkPropertyComesAfterTheVariable() {
        assertEquals(
                Path.of("/p.toml"),
                ConfigLocation.resolve(Map.of(), "/p.toml", DeploymentMode.MULTI_USER, Path.of("/home/a")));
        assertEquals(
                Path.of("/v.toml"),
                ConfigLocation.resolve(
                        Map.of("OQTO_CONFIG", "/v.toml"), "/p.toml", DeploymentMode.SINGLE_USER, Path.of("/h")));
    }

    @Test
    void multiUserReadsEtc() {
        assertEquals(
                Path.of("/etc/oqto/config.toml"),
                ConfigLocation.resolve(Map.of(), DeploymentMode.MULTI_USER, Path.of("/home/a")));
    }

    @Test
    void singleUserReadsTheUsersConfigDirectory() {
        assertEquals(
                Path.of("/home/a/.config/oqto/config.toml"),
                ConfigLocation.resolve(Map.of(), DeploymentMode.SINGLE_USER, Path.of("/home/a")));
        assertEquals(
                Path.of("/xdg/oqto/config.toml"),
                ConfigLocation.resolve(
                        Map.of("XDG_CONFIG_HOME", "/xdg"), DeploymentMode.SINGLE_USER, Path.of("/home/a")));
        assertEquals(
                Path.of("/home/a/.config/oqto/config.toml"),
                ConfigLocation.resolve(
                        Map.of("XDG_CONFIG_HOME", "relative"), DeploymentMode.SINGLE_USER, Path.of("/home/a")),
                "a relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored");
    }
}
