package io.oqto.usermgr;

import io.oqto.config.files.ConfigFiles;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rules every field of a request to the root helper must pass before anything runs. Nothing from the
 * caller is ever used as a path, a unit text or a command line: names are checked against a pattern and
 * the configured prefix, numbers against ranges, shells against an allow-list; paths are derived here from
 * validated names. A failure names the field and the rule.
 */
final class Validation {

    /** A rejected request: the message says which field broke which rule. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }

    /** Accounts that must never be touched, whatever the prefix says. */
    static final Set<String> RESERVED = Set.of("root", "daemon", "bin", "sys", "nobody", "oqto", "systemd-network");
    /** The same allow-list {@code [usermgr] shell} is checked against. */
    static final List<String> SHELLS = ConfigFiles.LOGIN_SHELLS;

    static final int MAX_FIELD = 256;
    private static final Pattern NAME_TAIL = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final String prefix;
    private final int uidMin;
    private final int uidMax;

    /** The group is no field of any request: it comes from the configuration, and {@link Accounts} checks it. */
    Validation(String prefix, int uidMin, int uidMax) {
        this.prefix = prefix;
        this.uidMin = uidMin;
        this.uidMax = uidMax;
    }

    /** A Linux user name this helper may manage: the prefix, then lower-case letters, digits, _ and -. */
    String linuxUser(@Nullable Object value) throws Rejected {
        String s = text("username", value, 32);
        if (!s.startsWith(prefix) || s.length() == prefix.length()) {
            throw new Rejected("username " + quoted(s) + " must start with " + prefix + " and have a name after it");
        }
        if (!NAME_TAIL.matcher(s.substring(prefix.length())).matches()) {
            throw new Rejected("username " + quoted(s) + " may contain only a-z, 0-9, _ and - after " + prefix
                    + " (and start with a letter or digit)");
        }
        if (RESERVED.contains(s)) {
            throw new Rejected("username " + quoted(s) + " is reserved");
        }
        return s;
    }

    int uid(@Nullable Object value) throws Rejected {
        if (!(value instanceof Number n) || n.doubleValue() != n.longValue()) {
            throw new Rejected("uid must be a whole number");
        }
        long uid = n.longValue();
        if (uid < uidMin || uid > uidMax) {
            throw new Rejected("uid " + uid + " is outside " + uidMin + "-" + uidMax);
        }
        return (int) uid;
    }

    /** A TCP port a user's service may listen on: 1024-65535. */
    int port(@Nullable Object value) throws Rejected {
        if (!(value instanceof Number n)
                || n.doubleValue() != n.longValue()
                || n.longValue() < 1024
                || n.longValue() > 65535) {
            throw new Rejected("port must be a whole number between 1024 and 65535");
        }
        return n.intValue();
    }

    /** A generated secret: 16-128 of A-Z, a-z, 0-9, - and _ (so it goes into an env or TOML file as it is). */
    String secret(String name, @Nullable Object value) throws Rejected {
        if (!(value instanceof String s) || !s.matches("[A-Za-z0-9_-]{16,128}")) {
            throw new Rejected(name + " must be 16-128 of A-Z, a-z, 0-9, - and _");
        }
        return s;
    }

    /** An http(s) URL of a service, as it goes into a TOML string: no quotes, backslashes or control characters. */
    String httpUrl(@Nullable Object value) throws Rejected {
        String s = text("embeddings_url", value, MAX_FIELD);
        if (!s.matches("https?://[A-Za-z0-9.\\[\\]:_-]+(:\\d{1,5})?(/[A-Za-z0-9._~/-]*)?")) {
            throw new Rejected("embeddings_url must be an http(s) URL such as http://127.0.0.1:8081");
        }
        return s;
    }

    /** An API key as it goes into a TOML string, or null for none. */
    @Nullable
    String apiKey(@Nullable Object value) throws Rejected {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || !s.matches("[A-Za-z0-9._~+/=-]{8,512}")) {
            throw new Rejected("api_key must be 8-512 of A-Z, a-z, 0-9 and . _ ~ + / = -");
        }
        return s;
    }

    String shell(@Nullable Object value) throws Rejected {
        String s = text("shell", value, 64);
        if (!SHELLS.contains(s)) {
            throw new Rejected("shell " + quoted(s) + " is not one of " + SHELLS);
        }
        return s;
    }

    /** Free text that ends up in /etc/passwd (GECOS): no field or line separators. */
    String comment(@Nullable Object value) throws Rejected {
        String s = text("comment", value, MAX_FIELD);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':' || c == ',' || c == '=' || Character.isISOControl(c)) {
                throw new Rejected("comment may not contain ':', ',', '=' or control characters");
            }
        }
        return s;
    }

    /** The allow-listed keys of a command's arguments, every one present, nothing else. */
    static void exactly(Map<?, ?> args, Set<String> keys) throws Rejected {
        for (Object k : args.keySet()) {
            if (!keys.contains(k)) {
                throw new Rejected("unknown argument " + quoted(String.valueOf(k)) + " (this command takes "
                        + new TreeSet<>(keys) + ")");
            }
        }
        for (String k : keys) {
            if (!args.containsKey(k)) {
                throw new Rejected("missing argument " + quoted(k));
            }
        }
    }

    private static String text(String field, @Nullable Object value, int max) throws Rejected {
        if (!(value instanceof String s)) {
            throw new Rejected(field + " must be a string");
        }
        if (s.isEmpty() || s.length() > max) {
            throw new Rejected(field + " must be 1-" + max + " characters");
        }
        if (s.indexOf('\0') >= 0) {
            throw new Rejected(field + " may not contain NUL");
        }
        return s;
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : (s.length() > 40 ? s.substring(0, 40) + "…" : s).toCharArray()) {
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('"').toString();
    }
}
