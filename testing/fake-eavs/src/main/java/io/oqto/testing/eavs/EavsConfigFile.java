package io.oqto.testing.eavs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The few keys of an eavs {@code config.toml} the double serves from (services-spec §2.1): line by line, enough
 * for what oqto's per-user mode writes; anything else is ignored.
 */
record EavsConfigFile(int port, @Nullable String masterKeyEnv, URI upstream, List<FakeEavs.Provider> providers) {

    private static final Pattern SECTION = Pattern.compile("\\s*\\[([A-Za-z0-9_.-]+)]\\s*");
    private static final Pattern ENTRY = Pattern.compile("\\s*([A-Za-z0-9_]+)\\s*=\\s*(.+?)\\s*");

    static EavsConfigFile read(Path file) throws IOException {
        int port = 3000;
        String masterKeyEnv = null;
        URI upstream = null;
        List<FakeEavs.Provider> providers = new ArrayList<>();
        String section = "";
        String name = null;
        String type = "openai-compatible";
        List<String> models = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher s = SECTION.matcher(line);
            Matcher e = ENTRY.matcher(line);
            if (s.matches()) {
                if (name != null) {
                    providers.add(provider(name, type, models));
                }
                section = s.group(1);
                name = section.startsWith("providers.") ? section.substring("providers.".length()) : null;
                type = "openai-compatible";
                models = new ArrayList<>();
            } else if (e.matches() && !line.strip().startsWith("#")) {
                String key = e.group(1);
                String value = e.group(2);
                if (section.equals("server") && key.equals("port")) {
                    port = Integer.parseInt(value);
                } else if (section.equals("keys")
                        && key.equals("master_key")
                        && unquote(value).startsWith("env:")) {
                    masterKeyEnv = unquote(value).substring(4);
                } else if (name != null && key.equals("type")) {
                    type = unquote(value);
                } else if (name != null && key.equals("base_url")) {
                    upstream = URI.create(unquote(value).replaceAll("/v1/?$", ""));
                } else if (name != null && key.equals("models")) {
                    for (String m : value.replaceAll("[\\[\\]]", "").split(",", -1)) {
                        if (!m.isBlank()) {
                            models.add(unquote(m.strip()));
                        }
                    }
                }
            }
        }
        if (name != null) {
            providers.add(provider(name, type, models));
        }
        if (upstream == null) {
            throw new IOException(file + ": no provider with a base_url");
        }
        return new EavsConfigFile(port, masterKeyEnv, upstream, List.copyOf(providers));
    }

    private static FakeEavs.Provider provider(String name, String type, List<String> models) {
        List<FakeEavs.Model> priced = new ArrayList<>();
        models.forEach(m -> priced.add(new FakeEavs.Model(m, 1000, 2000)));
        return new FakeEavs.Provider(name, type, "openai-completions", priced);
    }

    private static String unquote(String v) {
        return v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2 ? v.substring(1, v.length() - 1) : v;
    }
}
