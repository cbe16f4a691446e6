package io.oqto.config.internal;

import io.oqto.api.unix.DeploymentMode;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where config.toml lives, from the seed's deployment document: {@code $OQTO_CONFIG} when set (or the
 * framework property {@code oqto.config}), else
 * {@code /etc/oqto/config.toml} in multi-user mode, else {@code $XDG_CONFIG_HOME/oqto/config.toml}
 * (default {@code ~/.config/oqto/config.toml}).
 */
final class ConfigLocation {

    private ConfigLocation() {}

    static Path resolve(Map<String, String> env, DeploymentMode mode, Path home) {
        return resolve(env, null, mode, home);
    }

    /** {@code property} is the framework property {@code oqto.config}, for embedding and in-Karaf tests. */
    static Path resolve(Map<String, String> env, @Nullable String property, DeploymentMode mode, Path home) {
        String explicit = env.get("OQTO_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        if (mode.isMultiUser()) {
            return Path.of("/etc/oqto/config.toml");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("oqto").resolve("config.toml");
    }
}
