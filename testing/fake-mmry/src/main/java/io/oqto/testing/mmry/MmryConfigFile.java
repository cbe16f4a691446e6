package io.oqto.testing.mmry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code [external_api]} keys of an mmry {@code config.toml} the double serves from (services-spec §3.2: enabled,
 * host, port, api_key, require_api_key), read line by line: enough for what oqto's provisioning writes; every other
 * section is ignored.
 *
 * @param key null when mmry requires no key
 */
record MmryConfigFile(boolean enabled, int port, @Nullable String key) {

    private static final Pattern SECTION = Pattern.compile("\\s*\\[([A-Za-z0-9_.-]+)]\\s*");
    private static final Pattern ENTRY = Pattern.compile("\\s*([A-Za-z0-9_]+)\\s*=\\s*(.+?)\\s*");

    static MmryConfigFile read(Path file) throws IOException {
        boolean enabled = false;
        int port = 8081;
        String key = null;
        boolean required = false;
        String section = "";
        for (String line : Files.readAllLines(file)) {
            Matcher s = SECTION.matcher(line);
            Matcher e = ENTRY.matcher(line);
            if (s.matches()) {
                section = s.group(1);
            } else if (section.equals("external_api")
                    && e.matches()
                    && !line.strip().startsWith("#")) {
                String value = unquote(e.group(2));
                switch (e.group(1)) {
                    case "enabled" -> enabled = value.equals("true");
                    case "port" -> port = Integer.parseInt(value);
                    case "api_key" -> key = value;
                    case "require_api_key" -> required = value.equals("true");
                    default -> {}
                }
            }
        }
        return new MmryConfigFile(enabled, port, required || key != null ? key : null);
    }

    private static String unquote(String v) {
        return v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2 ? v.substring(1, v.length() - 1) : v;
    }
}
