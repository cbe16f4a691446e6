package io.oqto.config.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Every section and key oqto accepts in config.toml. One table for both distributions, because in
 * single-user mode the control plane and the runner read the same file. A key that is not here is an
 * error, never silently ignored. Each section is published as the Configuration Admin PID
 * {@code oqto.<section>}; components read it through their own {@code @ObjectClassDefinition}.
 */
public final class ConfigSchema {

    private static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    /** Login shells a platform user may get: the root helper's allow-list. */
    /** Login shells a platform user may get: {@code [usermgr] shell} and the root helper's requests. */
    public static final List<String> SHELLS = List.of(
            "/bin/bash",
            "/bin/sh",
            "/bin/zsh",
            "/usr/bin/bash",
            "/usr/bin/sh",
            "/usr/bin/zsh",
            "/bin/false",
            "/usr/sbin/nologin");

    private static final Pattern IPV4_OR_LOCAL =
            Pattern.compile("localhost|\\d{1,3}(\\.\\d{1,3}){3}|::1?|[0-9a-fA-F:]+");

    private final Map<String, Map<String, KeySpec>> sections = new LinkedHashMap<>();

    static final ConfigSchema INSTANCE = new ConfigSchema();

    private ConfigSchema() {
        section(
                "server",
                KeySpec.integer("port", 1, 65535, "HTTP port of the REST API"),
                KeySpec.string(
                        "bind",
                        "address the REST API listens on",
                        v -> IPV4_OR_LOCAL.matcher((String) v).matches() ? null : "must be an IP address or localhost"),
                KeySpec.string(
                        "state_dir", "where the control plane keeps tokens and other state", ConfigSchema::absolute),
                KeySpec.string(
                        "tls_cert",
                        "PEM certificate (chain) to serve HTTPS with, on [server] port instead of HTTP",
                        ConfigSchema::absolute),
                KeySpec.string(
                        "tls_key",
                        "PEM PKCS#8 private key of tls_cert, readable by its owner only",
                        ConfigSchema::absolute),
                KeySpec.integer(
                        "hold_seconds",
                        0,
                        300,
                        "how long a request waits while the REST API is swapped (an update, an upgrade) before 503"));
        section(
                "runner",
                KeySpec.string("socket", "socket path the runner listens on", ConfigSchema::absolute),
                KeySpec.string(
                        "control_plane_user",
                        "Linux user of the control plane, granted access to the socket",
                        v -> USER_NAME.matcher((String) v).matches() ? null : "must be a Linux user name"),
                KeySpec.integer("max_frame_bytes", 1024, 16 << 20, "longest accepted protocol line"),
                KeySpec.integer("max_connections", 1, 1024, "concurrent client connections"),
                KeySpec.integer("max_in_flight", 1, 4096, "requests being served at once, all connections"),
                KeySpec.integer(
                        "idle_exit_seconds",
                        0,
                        86_400,
                        "a socket-activated runner exits after this long without requests when nothing runs (0: never)"));
        section(
                "workspace",
                KeySpec.string(
                        "root",
                        "the user's workspace; every file path the runner accepts lies inside it",
                        ConfigSchema::absolute),
                KeySpec.integer("max_upload_mb", 1, 1_048_576, "the largest file an upload may write, in MiB"));
        section(
                "processes",
                KeySpec.string(
                        "limits",
                        "how process limits are enforced: auto, systemd, cgroup or rlimit",
                        v -> List.of("auto", "systemd", "cgroup", "rlimit").contains(v)
                                ? null
                                : "must be one of auto, systemd, cgroup, rlimit"),
                KeySpec.integer("memory_mb", 16, 1 << 24, "memory per process in MiB (default and ceiling)"),
                KeySpec.integer("tasks", 4, 1 << 22, "processes and threads per process (default and ceiling)"),
                KeySpec.integer(
                        "cpu_percent", 1, 100_000, "CPU per process in percent of one core (default and ceiling)"),
                KeySpec.integer("output_lines", 100, 1_000_000, "output lines kept per process"));
        section(
                "programs",
                KeySpec.string(
                        "pi", "the pi coding agent: a path, or a name looked up in search_path", ConfigSchema::program),
                KeySpec.strings("pi_args", "arguments for pi after --mode rpc"),
                KeySpec.string("fileserver", "the file server (oqto-files)", ConfigSchema::program),
                KeySpec.string("ttyd", "the web terminal", ConfigSchema::program),
                KeySpec.strings("ttyd_shell", "the shell ttyd runs, with its arguments"),
                KeySpec.string(
                        "search_path",
                        "where program names are looked up (colon-separated, ~ allowed)",
                        v -> ((String) v).indexOf('\0') >= 0 ? "must not contain NUL" : null),
                KeySpec.integer("ready_timeout_ms", 100, 600_000, "how long a program may take to become ready"));
        section(
                "agent",
                KeySpec.integer(
                        "start_timeout_ms", 1000, 600_000, "how long pi may take to answer get_state after spawning"),
                KeySpec.integer(
                        "stall_timeout_ms",
                        1000,
                        86_400_000L,
                        "a working pi that writes nothing for this long is stopped"),
                KeySpec.integer(
                        "idle_timeout_ms",
                        1000,
                        604_800_000L,
                        "an idle session nobody watches is stopped after this long"),
                KeySpec.integer("replay_events", 100, 1_000_000, "events kept per session for replay"),
                KeySpec.integer("max_sessions", 1, 1000, "sessions per runner"),
                KeySpec.strings("providers", "pi providers written to models.json: \"name api base_url key models\"")
                        .withLiteralSecret(ConfigSchema::literalProviderKey),
                KeySpec.bool(
                        "shared_provider_keys",
                        "multi-user mode: give the providers' keys to every user's agent "
                                + "(each user can then read them)"));
        section(
                "routing",
                KeySpec.string(
                        "socket_pattern",
                        "runner socket path; {uid} and {user} are replaced",
                        ConfigSchema::socketPattern),
                KeySpec.string(
                        "linux_user_prefix",
                        "prefix of platform users' Linux names in multi-user mode",
                        v -> ((String) v).matches("[a-z_][a-z0-9_-]{0,15}")
                                ? null
                                : "must be a Linux user name prefix"),
                KeySpec.integer("pool_size", 1, 16, "persistent connections per runner"),
                KeySpec.integer("request_timeout_ms", 50, 600_000, "how long a runner may take to answer"),
                KeySpec.integer("connect_timeout_ms", 50, 60_000, "how long connecting and hello may take"),
                KeySpec.bool("autostart", "single-user mode: start the runner when none answers"),
                KeySpec.string(
                        "runner_command", "single-user mode: the runner launcher to start", ConfigSchema::absolute));
        section(
                "usermgr",
                KeySpec.string(
                        "socket",
                        "the root helper's socket (the control plane connects to it)",
                        ConfigSchema::absolute),
                KeySpec.string(
                        "group",
                        "the group every platform user's Linux account is in (no other account should be)",
                        v -> USER_NAME.matcher((String) v).matches() ? null : "must be a Linux group name"),
                KeySpec.integer("uid_min", 1000, 2_000_000_000L, "lowest UID given to a platform user"),
                KeySpec.integer("uid_max", 1000, 2_000_000_000L, "highest UID given to a platform user"),
                KeySpec.string(
                        "shell",
                        "login shell of new platform users",
                        v -> SHELLS.contains(v) ? null : "must be one of " + SHELLS),
                KeySpec.string("skeleton", "directory a new user's home is copied from", ConfigSchema::absolute),
                KeySpec.string("home_base", "directory the homes are created in", ConfigSchema::absolute),
                KeySpec.string(
                        "linger_dir",
                        "supervise: where the helper marks lingering users (a file each)",
                        ConfigSchema::absolute),
                KeySpec.string(
                        "service_manager",
                        "who runs the user services: auto, systemd or supervise",
                        v -> List.of("auto", "systemd", "supervise").contains(v)
                                ? null
                                : "must be one of auto, systemd, supervise"),
                KeySpec.string(
                        "runner_command", "supervise: the runner launcher (bin/oqto-runner)", ConfigSchema::absolute),
                KeySpec.string(
                        "runner_activation",
                        "socket: a user's runner starts at the first connection to its socket and exits when idle;"
                                + " always: it runs as long as the user's services do",
                        v -> List.of("socket", "always").contains(v) ? null : "must be socket or always"),
                KeySpec.integer(
                        "runner_starts_at_once",
                        1,
                        256,
                        "supervise, socket activation: how many runners start at the same time (default: one per"
                                + " CPU core); the other first connections wait in their sockets' queues"),
                KeySpec.strings(
                        "hstry_command", "supervise: the hstry service in the foreground, absolute program first"),
                KeySpec.strings(
                        "eavs_command", "supervise: the eavs service in the foreground, absolute program first"),
                KeySpec.strings(
                        "mmry_command", "supervise: the mmry service in the foreground, absolute program first"),
                KeySpec.integer(
                        "command_timeout_ms", 1000, 600_000, "how long one system command (useradd, …) may take"),
                KeySpec.integer(
                        "ready_timeout_ms",
                        1000,
                        600_000,
                        "control plane: how long a new user's runner may take to answer"));
        section(
                "eavs",
                KeySpec.string(
                        "mode",
                        "central: one eavs for the host at base_url; per-user: each user's own eavs service",
                        v -> List.of("central", "per-user").contains(v) ? null : "must be central or per-user"),
                KeySpec.string(
                        "base_url",
                        "eavs, the LLM proxy every agent reaches providers through (per-user: with {port}); empty: no eavs",
                        ConfigSchema::httpUrl),
                KeySpec.integer(
                        "user_port_base",
                        1024,
                        65535,
                        "per-user: a user's eavs listens on this plus (uid - [usermgr] uid_min)"),
                KeySpec.string(
                        "user_config",
                        "per-user: the providers part of each user's eavs config.toml (the root helper reads it)",
                        ConfigSchema::absolute),
                KeySpec.string(
                                "master_key",
                                "control plane: eavs's admin key, by reference (file:/PATH or env:NAME)",
                                ConfigSchema::secretReference)
                        .withLiteralSecret(v -> ((String) v).startsWith("literal:")
                                ? "the master key is written out (literal:)"
                                : null),
                KeySpec.number("budget_usd", 0.0, 1_000_000.0, "budget of each user's key, in US dollars per window"),
                KeySpec.string(
                        "budget_window",
                        "the window the budget applies to: total, daily, weekly or monthly",
                        v -> List.of("total", "daily", "weekly", "monthly").contains(v)
                                ? null
                                : "must be one of total, daily, weekly, monthly"),
                KeySpec.integer("rpm_limit", 1, 1_000_000, "requests per minute of each user's key"),
                KeySpec.integer("request_timeout_ms", 100, 600_000, "how long eavs may take to answer oqto"));
        section(
                "history",
                KeySpec.string(
                        "store",
                        "where agent sessions are kept: auto (hstry when its program is installed, else embedded), "
                                + "embedded, hstry or off",
                        v -> List.of("auto", "embedded", "hstry", "off").contains(v)
                                ? null
                                : "must be one of auto, embedded, hstry, off"),
                KeySpec.string(
                        "hstry", "the hstry program: a path, or a name looked up on PATH", ConfigSchema::program),
                KeySpec.integer("hstry_timeout_ms", 100, 600_000, "how long hstry may take to answer"));
        section(
                "memory",
                KeySpec.string(
                        "store",
                        "where memories are kept: embedded (the ledger in each workspace), mmry or off",
                        v -> List.of("embedded", "mmry", "off").contains(v)
                                ? null
                                : "must be one of embedded, mmry, off"),
                KeySpec.string(
                        "mmry_url",
                        "the user's mmry daemon (its HTTP external API); with {port}: each user's own",
                        ConfigSchema::httpUrl),
                KeySpec.integer(
                        "mmry_user_port_base",
                        1024,
                        65535,
                        "with {port} in mmry_url: a user's mmry listens on this plus (uid - [usermgr] uid_min)"),
                KeySpec.string(
                                "mmry_key",
                                "mmry's API key, by reference (file:/PATH or env:NAME)",
                                ConfigSchema::secretReference)
                        .withLiteralSecret(v ->
                                ((String) v).startsWith("literal:") ? "the mmry key is written out (literal:)" : null),
                KeySpec.integer("mmry_timeout_ms", 100, 600_000, "how long mmry may take to answer"),
                KeySpec.string(
                        "embeddings_url",
                        "the central embeddings service (mmry-embeddings) for semantic search; empty: none",
                        ConfigSchema::httpUrl),
                KeySpec.string(
                                "embeddings_key",
                                "the central embeddings service's API key, by reference (file:/PATH or env:NAME)",
                                ConfigSchema::secretReference)
                        .withLiteralSecret(v -> ((String) v).startsWith("literal:")
                                ? "the embeddings key is written out (literal:)"
                                : null),
                KeySpec.bool("rerank", "rerank the best matches with the central service's /v1/rerank"));
        section(
                "auth",
                KeySpec.string(
                        "admin_token_file",
                        "where single-user mode writes the first admin token",
                        ConfigSchema::absolute),
                KeySpec.integer("session_hours", 1, 720, "how long a browser stays signed in"),
                KeySpec.integer("login_attempts", 1, 1000, "failed sign-ins per user in 15 minutes before a pause"),
                KeySpec.integer(
                        "login_attempts_per_address",
                        1,
                        100_000,
                        "failed sign-ins per client address in 15 minutes before a pause"));
        section(
                "audit",
                KeySpec.string(
                        "file",
                        "the audit log (JSON lines, 0600); by default audit.log in [server] state_dir",
                        ConfigSchema::absolute),
                KeySpec.integer("max_size_mb", 1, 10_240, "size at which the audit log is rotated"),
                KeySpec.integer("keep", 1, 1000, "rotated audit logs kept"),
                KeySpec.bool("journal", "also send audit lines to the systemd journal, when it runs"),
                KeySpec.string("journal_socket", "the journal's native socket", ConfigSchema::absolute));
        section(
                "terminals",
                KeySpec.integer(
                        "grace_seconds",
                        1,
                        86_400,
                        "how long a terminal no browser watches is kept for a reconnect, then ended"));
    }

    private void section(String name, KeySpec... keys) {
        Map<String, KeySpec> m = new LinkedHashMap<>();
        for (KeySpec k : keys) {
            m.put(k.name(), k);
        }
        sections.put(name, m);
    }

    List<String> sectionNames() {
        return List.copyOf(sections.keySet());
    }

    Optional<Map<String, KeySpec>> section(String name) {
        return Optional.ofNullable(sections.get(name));
    }

    /** A provider entry whose key (its fourth word) is written out: {@code literal:VALUE}. */
    private static @Nullable String literalProviderKey(Object v) {
        for (String entry : (String[]) v) {
            String[] w = entry.trim().split("\\s+", -1);
            if (w.length >= 4 && w[3].startsWith("literal:")) {
                return "the key of provider \"" + w[0] + "\" is written out (literal:)";
            }
        }
        return null;
    }

    private static @Nullable String absolute(Object v) {
        String s = (String) v;
        if (s.indexOf('\0') >= 0) {
            return "must not contain NUL";
        }
        return s.startsWith("/") ? null : "must be an absolute path";
    }

    private static @Nullable String httpUrl(Object v) {
        String s = (String) v;
        return s.matches("https?://[A-Za-z0-9.\\[\\]:_-]+(:(\\d{1,5}|\\{port\\}))?(/[A-Za-z0-9._~/-]*)?")
                ? null
                : "must be an http(s) URL such as http://127.0.0.1:3033";
    }

    /** A secret by reference: {@code file:/PATH}, {@code env:NAME}, or (where others cannot read) {@code literal:VALUE}. */
    private static @Nullable String secretReference(Object v) {
        String s = (String) v;
        return (s.startsWith("file:/") && s.indexOf('\0') < 0)
                        || s.matches("env:[A-Za-z_][A-Za-z0-9_]*")
                        || (s.startsWith("literal:") && s.length() > 8)
                ? null
                : "must be file:/PATH, env:NAME or literal:VALUE";
    }

    private static @Nullable String program(Object v) {
        String s = (String) v;
        return s.isEmpty() || s.indexOf('\0') >= 0 ? "must name a program" : null;
    }

    private static @Nullable String socketPattern(Object v) {
        String s = (String) v;
        String problem = absolute(s);
        if (problem != null) {
            return problem;
        }
        String rest = s.replace("{uid}", "").replace("{user}", "");
        return rest.contains("{") || rest.contains("}") ? "only {uid} and {user} may be used as placeholders" : null;
    }
}
