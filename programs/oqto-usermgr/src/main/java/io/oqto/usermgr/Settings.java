package io.oqto.usermgr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the helper is configured with: the {@code [usermgr]} section of config.toml, plus the two facts it
 * shares with the control plane ({@code [runner] control_plane_user}, {@code [routing] linux_user_prefix}).
 * The file is checked by the same strict loader the control plane uses.
 *
 * @param userServices the user services the helper runs itself when it supervises, in start order
 *                     (name → argv, absolute program first); the runner is last and always present
 */
record Settings(
        Path configFile,
        Path socket,
        String controlPlaneUser,
        String prefix,
        String group,
        int uidMin,
        int uidMax,
        String shell,
        Path skeleton,
        Path homeBase,
        Path lingerDir,
        String serviceManager,
        Map<String, List<String>> userServices,
        Duration commandTimeout,
        Path eavsUserConfig,
        String runnerActivation,
        int runnerStartsAtOnce,
        @Nullable String runnerSocketSetting) {

    static final String RUNNER = "oqto-runner";

    static Settings from(Path configFile, Map<String, Map<String, Object>> sections) {
        Map<String, Object> u = sections.get("usermgr");
        String cpUser = str(sections.get("runner"), "control_plane_user", "oqto");
        if (cpUser.isEmpty()) {
            throw new IllegalArgumentException(
                    configFile + ": [runner] control_plane_user must name the control plane's user");
        }
        long uidMin = num(u, "uid_min", 2000);
        long uidMax = num(u, "uid_max", 60000);
        if (uidMin > uidMax) {
            throw new IllegalArgumentException(
                    configFile + ": [usermgr] uid_min " + uidMin + " is above uid_max " + uidMax);
        }
        Map<String, List<String>> services = new LinkedHashMap<>();
        // The seed's chain: eavs, hstry and mmry first (no order among them), then the runner.
        services.put("eavs", argv(configFile, u, "eavs_command", List.of("/usr/local/bin/eavs", "serve")));
        services.put("hstry", argv(configFile, u, "hstry_command", List.of("/usr/local/bin/hstry", "service", "run")));
        services.put("mmry", argv(configFile, u, "mmry_command", List.of("/usr/local/bin/mmry", "service", "run")));
        services.put(RUNNER, List.of(str(u, "runner_command", "/opt/oqto-runner/bin/oqto-runner")));
        return new Settings(
                configFile,
                Path.of(str(u, "socket", "/run/oqto/usermgr.sock")),
                cpUser,
                str(sections.get("routing"), "linux_user_prefix", "oqto_"),
                str(u, "group", "oqto-users"),
                (int) uidMin,
                (int) uidMax,
                str(u, "shell", "/bin/bash"),
                Path.of(str(u, "skeleton", "/etc/oqto/skel")),
                Path.of(str(u, "home_base", "/home")),
                Path.of(str(u, "linger_dir", "/var/lib/oqto-usermgr/linger")),
                str(u, "service_manager", "auto"),
                services,
                Duration.ofMillis(num(u, "command_timeout_ms", 60_000)),
                Path.of(str(sections.get("eavs"), "user_config", "/etc/oqto/eavs-user.toml")),
                str(u, "runner_activation", "socket"),
                // One start per core: more JVMs starting at once only share the cores and all finish later.
                (int) num(u, "runner_starts_at_once", Runtime.getRuntime().availableProcessors()),
                sections.get("runner") == null
                        ? null
                        : (String) sections.get("runner").get("socket"));
    }

    /** Where a user's runner listens: {@code [runner] socket} when set, else in the user's runtime directory. */
    Path runnerSocket(Account a) {
        return runnerSocketSetting == null || runnerSocketSetting.isEmpty()
                ? a.runtimeDir().resolve("oqto-runner.sock")
                : Path.of(runnerSocketSetting);
    }

    Validation validation() {
        return new Validation(prefix, uidMin, uidMax);
    }

    private static List<String> argv(Path file, @Nullable Map<String, Object> u, String key, List<String> dflt) {
        Object v = u == null ? null : u.get(key);
        List<String> argv = v == null ? dflt : List.of((String[]) v);
        if (!argv.isEmpty() && !argv.get(0).startsWith("/")) {
            throw new IllegalArgumentException(
                    file + ": [usermgr] " + key + ": the program must be an absolute path, not " + argv.get(0));
        }
        return argv;
    }

    private static String str(@Nullable Map<String, Object> m, String key, String dflt) {
        Object v = m == null ? null : m.get(key);
        return v == null ? dflt : (String) v;
    }

    private static long num(@Nullable Map<String, Object> m, String key, long dflt) {
        Object v = m == null ? null : m.get(key);
        return v == null ? dflt : (Long) v;
    }
}
