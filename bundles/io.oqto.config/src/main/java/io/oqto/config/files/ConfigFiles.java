package io.oqto.config.files;

import io.oqto.config.internal.ConfigError;
import io.oqto.config.internal.ConfigSchema;
import io.oqto.config.internal.TomlConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The strict loader for programs outside Karaf that read the same config.toml (the root helper
 * {@code oqto-usermgr} puts this jar on its class path). One schema and one parser for every reader, so
 * a key the helper reads is checked exactly as the control plane checks it. This package is the bundle's Java
 * API for such programs; it is not exported to OSGi (nothing in the framework needs it).
 */
public final class ConfigFiles {

    /** Login shells a platform user may get: {@code [usermgr] shell} and the root helper's requests. */
    public static final List<String> LOGIN_SHELLS = ConfigSchema.SHELLS;

    private ConfigFiles() {}

    /**
     * Every section of {@code file} (all of them, empty when absent) with the environment overrides applied.
     *
     * @throws IllegalArgumentException naming file, line and key of the first problem
     */
    public static Map<String, Map<String, Object>> read(Path file, Map<String, String> env) {
        try {
            return TomlConfigLoader.readStrictly(file, env);
        } catch (ConfigError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
