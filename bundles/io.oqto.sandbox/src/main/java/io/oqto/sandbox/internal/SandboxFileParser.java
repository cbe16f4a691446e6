package io.oqto.sandbox.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Parses sandbox.toml strictly: a key in the wrong place or an unknown one is an error naming file,
 * line and key. (The original Oqto read only {@code enabled}, {@code profile} and {@code profiles} and
 * silently ignored profile keys written at the top level, so the policy in force was not the one on disk.)
 */
final class SandboxFileParser {

    static final Set<String> TOP_LEVEL = Set.of("enabled", "profile", "profiles", "network");
    static final Set<String> LIST_KEYS =
            Set.of("deny_read", "allow_write", "deny_write", "extra_ro_bind", "extra_rw_bind");
    static final Set<String> BOOLEAN_KEYS = Set.of("isolate_network", "isolate_pid", "drop_all_caps");

    /** A problem in a sandbox file, as {@code file:line:col: key: problem}. */
    static final class SandboxFileException extends Exception {
        private static final long serialVersionUID = 1L;

        SandboxFileException(String message) {
            super(message);
        }
    }

    private SandboxFileParser() {}

    static SandboxSettings parse(String source, String text) throws SandboxFileException {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().get(0);
            throw new SandboxFileException(
                    source + ":" + e.position().line() + ":" + e.position().column() + ": syntax error: "
                            + String.valueOf(e.getMessage()).replaceFirst(" \\(line \\d+, column \\d+\\)$", ""));
        }
        for (String key : toml.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                String hint = LIST_KEYS.contains(key) || BOOLEAN_KEYS.contains(key)
                        ? "profile keys belong in a [profiles.<name>] table"
                        : "unknown key (known: enabled, profile, [profiles.<name>], [network])";
                throw error(source, toml.inputPositionOf(key), key, hint);
            }
        }
        boolean enabled = bool(source, toml, "enabled", "enabled", false);
        Map<String, Profile> custom = new HashMap<>();
        if (toml.contains("profiles")) {
            if (!toml.isTable("profiles")) {
                throw error(
                        source,
                        toml.inputPositionOf("profiles"),
                        "profiles",
                        "must be a table of [profiles.<name>] tables");
            }
            TomlTable profiles = toml.getTable("profiles");
            for (String name : profiles.keySet()) {
                if (!profiles.isTable(name)) {
                    throw error(
                            source,
                            profiles.inputPositionOf(name),
                            "profiles." + name,
                            "must be a table [profiles." + name + "]");
                }
                custom.put(name, profile(source, "profiles." + name, profiles.getTable(name)));
            }
        }
        String name = "development";
        if (toml.contains("profile")) {
            if (!toml.isString("profile")) {
                throw error(source, toml.inputPositionOf("profile"), "profile", "must be a string");
            }
            name = toml.getString("profile");
        }
        Profile chosen = custom.containsKey(name)
                ? custom.get(name)
                : BuiltinProfiles.named(name).orElse(null);
        if (chosen == null) {
            throw error(
                    source,
                    toml.inputPositionOf("profile"),
                    "profile",
                    "no profile \"" + name + "\" (built in: minimal, development, strict; defined here: "
                            + String.join(", ", custom.keySet()) + ")");
        }
        boolean isolatedNetwork = networkIsolated(source, toml);
        if (isolatedNetwork) {
            chosen = chosen.withIsolatedNetwork();
        }
        return new SandboxSettings(enabled, name, chosen);
    }

    private static boolean networkIsolated(String source, TomlParseResult toml) throws SandboxFileException {
        if (!toml.contains("network")) {
            return false;
        }
        if (!toml.isTable("network")) {
            throw error(source, toml.inputPositionOf("network"), "network", "must be a table [network]");
        }
        TomlTable network = toml.getTable("network");
        for (String key : network.keySet()) {
            if (!key.equals("mode")) {
                throw error(
                        source,
                        network.inputPositionOf(key),
                        "network." + key,
                        "unknown key (known in [network]: mode)");
            }
        }
        Object mode = network.get("mode");
        if (mode == null) {
            return false;
        }
        if (!"open".equals(mode) && !"isolated".equals(mode)) {
            throw error(source, network.inputPositionOf("mode"), "network.mode", "must be \"open\" or \"isolated\"");
        }
        return "isolated".equals(mode);
    }

    private static Profile profile(String source, String prefix, TomlTable t) throws SandboxFileException {
        for (String key : t.keySet()) {
            if (!LIST_KEYS.contains(key) && !BOOLEAN_KEYS.contains(key)) {
                throw error(
                        source,
                        t.inputPositionOf(key),
                        prefix + "." + key,
                        "unknown key (known: "
                                + String.join(", ", new TreeSet<>(LIST_KEYS)) + ", "
                                + String.join(", ", new TreeSet<>(BOOLEAN_KEYS)) + ")");
            }
        }
        return new Profile(
                paths(source, prefix, t, "deny_read"),
                paths(source, prefix, t, "allow_write"),
                paths(source, prefix, t, "deny_write"),
                bool(source, t, prefix + ".isolate_network", "isolate_network", false),
                bool(source, t, prefix + ".isolate_pid", "isolate_pid", false),
                bool(source, t, prefix + ".drop_all_caps", "drop_all_caps", false),
                paths(source, prefix, t, "extra_ro_bind"),
                paths(source, prefix, t, "extra_rw_bind"));
    }

    private static List<String> paths(String source, String prefix, TomlTable t, String key)
            throws SandboxFileException {
        if (!t.contains(key)) {
            return List.of();
        }
        TomlPosition pos = t.inputPositionOf(key);
        if (!t.isArray(key)) {
            throw error(source, pos, prefix + "." + key, "must be an array of paths");
        }
        TomlArray a = t.getArray(key);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof String p)) {
                throw error(source, pos, prefix + "." + key, "must be an array of paths");
            }
            if (!(p.equals("~") || p.startsWith("~/") || p.startsWith("/"))
                    || p.contains("..")
                    || p.indexOf('\0') >= 0) {
                throw error(
                        source, pos, prefix + "." + key, "\"" + p + "\" must be absolute or start with ~/, without ..");
            }
            out.add(p);
        }
        return out;
    }

    private static boolean bool(String source, TomlTable t, String shown, String key, boolean dflt)
            throws SandboxFileException {
        if (!t.contains(key)) {
            return dflt;
        }
        if (!t.isBoolean(key)) {
            throw error(source, t.inputPositionOf(key), shown, "must be a boolean (true or false)");
        }
        return t.getBoolean(key);
    }

    private static SandboxFileException error(String source, TomlPosition pos, String key, String problem) {
        int line = pos == null ? 0 : pos.line();
        int col = pos == null ? 0 : pos.column();
        return new SandboxFileException(source + ":" + line + ":" + col + ": " + key + ": " + problem);
    }
}
