package io.oqto.auth.internal;

import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * One line of the token file: {@code <id> <role> <user> <sha256-hex> <created> <expires> <last-used> <name>}, times
 * in epoch seconds or {@code -} for none, the name base64url-encoded (or {@code -}) so that no field holds a space.
 * Only the hash of the full token is kept. Lines of five fields, from before tokens had names, still read.
 */
record StoredToken(
        String id, Role role, String user, String sha256, long created, long expires, long lastUsed, String name) {

    static final long NEVER = -1;

    TokenInfo info() {
        return new TokenInfo(id, user, role, name, Instant.ofEpochSecond(created), instant(expires), instant(lastUsed));
    }

    StoredToken usedAt(long epochSecond) {
        return new StoredToken(id, role, user, sha256, created, expires, epochSecond, name);
    }

    boolean expiredAt(long epochSecond) {
        return expires != NEVER && epochSecond >= expires;
    }

    String toLine() {
        return String.join(
                " ",
                id,
                role.wireName(),
                user,
                sha256,
                Long.toString(created),
                time(expires),
                time(lastUsed),
                name.isEmpty()
                        ? "-"
                        : Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(name.getBytes(StandardCharsets.UTF_8)));
    }

    static StoredToken parse(String line) {
        String[] f = line.trim().split(" ", -1);
        if (f.length != 5 && f.length != 8) {
            throw new IllegalArgumentException("expected 8 fields (or 5), got " + f.length);
        }
        Role role = Role.parse(f[1]).orElseThrow(() -> new IllegalArgumentException("unknown role " + f[1]));
        long created = Long.parseLong(f[4]);
        if (f.length == 5) {
            return new StoredToken(f[0], role, f[2], f[3], created, NEVER, NEVER, "");
        }
        String name = f[7].equals("-") ? "" : new String(Base64.getUrlDecoder().decode(f[7]), StandardCharsets.UTF_8);
        return new StoredToken(f[0], role, f[2], f[3], created, epoch(f[5]), epoch(f[6]), name);
    }

    private static String time(long epochSecond) {
        return epochSecond == NEVER ? "-" : Long.toString(epochSecond);
    }

    private static long epoch(String field) {
        return field.equals("-") ? NEVER : Long.parseLong(field);
    }

    private static @Nullable Instant instant(long epochSecond) {
        return epochSecond == NEVER ? null : Instant.ofEpochSecond(epochSecond);
    }
}
