package io.oqto.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Parses config.toml and checks every key against {@link ConfigSchema}. The first problem found is
 * reported with file, line, column and key; a file with any problem yields no settings at all.
 */
public final class TomlConfigLoader {

    private final ConfigSchema schema;

    /** A loader checking against the one schema: for the root helper, which reads the same file outside Karaf. */
    public static Map<String, Map<String, Object>> readStrictly(Path file, Map<String, String> env) throws ConfigError {
        TomlConfigLoader loader = new TomlConfigLoader(ConfigSchema.INSTANCE);
        Map<String, Map<String, Object>> sections = loader.load(file);
        loader.applyEnvironment(sections, env);
        return sections;
    }

    TomlConfigLoader(ConfigSchema schema) {
        this.schema = schema;
    }

    /** Section name → (schema key → value). A missing file gives empty sections (all defaults). */
    Map<String, Map<String, Object>> load(Path file) throws ConfigError {
        String text;
        String readableBy;
        try {
            text = Files.readString(file);
            readableBy = readableByOthers(file);
        } catch (NoSuchFileException e) {
            return emptySections();
        } catch (IOException e) {
            throw new ConfigError(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text, readableBy);
    }

    /** Null when only the file's owner and group can read it, else how others can (its mode). */
    private static @Nullable String readableByOthers(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (!perms.contains(PosixFilePermission.OTHERS_READ)) {
            return null;
        }
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= bit(p);
        }
        return String.format("mode %04o", mode);
    }

    private static int bit(PosixFilePermission p) {
        return switch (p) {
            case OWNER_READ -> 0400;
            case OWNER_WRITE -> 0200;
            case OWNER_EXECUTE -> 0100;
            case GROUP_READ -> 040;
            case GROUP_WRITE -> 020;
            case GROUP_EXECUTE -> 010;
            case OTHERS_READ -> 04;
            case OTHERS_WRITE -> 02;
            case OTHERS_EXECUTE -> 01;
        };
    }

    Map<String, Map<String, Object>> parse(String source, String text) throws ConfigError {
        return parse(source, text, null);
    }

    /**
     * {@code readableBy}: non-null when users other than the file's owner and group can read it; a literal
     * secret in such a file is an error (the file is shown to every user: in multi-user mode to every runner).
     */
    Map<String, Map<String, Object>> parse(String source, String text, @Nullable String readableBy) throws ConfigError {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError err = toml.errors().get(0);
            TomlPosition pos = err.position();
            throw new ConfigError(source + ":" + pos.line() + ":" + pos.column() + ": syntax error: "
                    + String.valueOf(err.getMessage()).replaceFirst(" \\(line \\d+, column \\d+\\)$", ""));
        }
        Map<String, Map<String, Object>> result = emptySections();
        for (String sectionName : toml.keySet()) {
            TomlPosition pos = toml.inputPositionOf(sectionName);
            Map<String, KeySpec> keys = schema.section(sectionName)
                    .orElseThrow(() -> ConfigError.at(
                            source,
                            pos.line(),
                            pos.column(),
                            sectionName,
                            "unknown key or section (known sections: " + String.join(", ", schema.sectionNames())
                                    + ")"));
            if (!toml.isTable(sectionName)) {
                throw ConfigError.at(
                        source, pos.line(), pos.column(), sectionName, "must be a table [" + sectionName + "]");
            }
            TomlTable table = toml.getTable(sectionName);
            for (String key : table.keySet()) {
                String dotted = sectionName + "." + key;
                TomlPosition kpos = table.inputPositionOf(key);
                KeySpec spec = keys.get(key);
                if (spec == null) {
                    throw ConfigError.at(
                            source,
                            kpos.line(),
                            kpos.column(),
                            dotted,
                            "unknown key (known in [" + sectionName + "]: " + String.join(", ", keys.keySet()) + ")");
                }
                Object value = spec.type().fromToml(table.get(key));
                if (value == null) {
                    throw ConfigError.at(
                            source,
                            kpos.line(),
                            kpos.column(),
                            dotted,
                            "must be " + spec.type().description());
                }
                String problem = spec.check().apply(value);
                if (problem != null) {
                    throw ConfigError.at(source, kpos.line(), kpos.column(), dotted, problem);
                }
                String secret = readableBy == null ? null : spec.literalSecret().apply(value);
                if (secret != null) {
                    throw ConfigError.at(
                            source,
                            kpos.line(),
                            kpos.column(),
                            dotted,
                            secret + " in a file every user can read (" + readableBy
                                    + "): put it in a file only its service can read and write file:PATH, or use env:NAME");
                }
                result.computeIfAbsent(sectionName, k -> new LinkedHashMap<>()).put(key, value);
            }
        }
        return result;
    }

    /**
     * Applies environment overrides. The one rule: {@code OQTO_<SECTION>__<KEY>} in upper case sets
     * {@code [section] key}, e.g. {@code OQTO_RUNNER__SOCKET}. Values are checked like file values; an
     * {@code OQTO_…__…} variable that names no known key is an error too.
     */
    void applyEnvironment(Map<String, Map<String, Object>> sections, Map<String, String> env) throws ConfigError {
        for (Map.Entry<String, String> e : env.entrySet()) {
            String var = e.getKey();
            int sep = var.indexOf("__");
            if (!var.startsWith("OQTO_") || sep < 0) {
                continue;
            }
            String section = var.substring(5, sep).toLowerCase(Locale.ROOT);
            String key = var.substring(sep + 2).toLowerCase(Locale.ROOT);
            KeySpec spec = schema.section(section).map(s -> s.get(key)).orElse(null);
            if (spec == null) {
                throw new ConfigError("environment " + var + ": names no known key [" + section + "] " + key);
            }
            Object value = spec.type().fromText(e.getValue());
            if (value == null) {
                throw new ConfigError(
                        "environment " + var + ": must be " + spec.type().description());
            }
            String problem = spec.check().apply(value);
            if (problem != null) {
                throw new ConfigError("environment " + var + ": " + problem);
            }
            sections.computeIfAbsent(section, k -> new LinkedHashMap<>()).put(key, value);
        }
    }

    private Map<String, Map<String, Object>> emptySections() {
        Map<String, Map<String, Object>> m = new LinkedHashMap<>();
        for (String s : schema.sectionNames()) {
            m.put(s, new LinkedHashMap<>());
        }
        return m;
    }
}
