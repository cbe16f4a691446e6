package io.oqto.config.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The strict loader for programs outside Karaf that read the same config.toml (the root helper
 * {@code oqto-usermgr} puts this jar on its class path). One schema and one parser for every reader, so
 * a key the helper reads is checked exactly as the control plane checks it. Not exported to OSGi.
 */
public final class ConfigFiles {

    /** Login shells a platform user may get: {@code [usermgr] shell} and the root helper's requests. */
    public static final List<String> LOGIN_SHELLS = ConfigSchema.SHELLS;

    private ConfigFiles() {
    }

    /**
     * Every section of {@code file} (all of them, empty when absent) with the environment overrides applied.
     *
     * @throws IllegalArgumentException naming file, line and key of the first problem
     */
    public static Map<String, Map<String, Object>> read(Path file, Map<String, String> env) {
        TomlConfigLoader loader = new TomlConfigLoader(ConfigSchema.INSTANCE);
        try {
            Map<String, Map<String, Object>> sections = loader.load(file);
            loader.applyEnvironment(sections, env);
            return sections;
        } catch (ConfigError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
