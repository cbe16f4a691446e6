package io.oqto.auth.internal;

import io.oqto.api.auth.Role;

/**
 * One line of the token file: {@code <id> <role> <user> <sha256-hex> <created-epoch-seconds>}.
 * Only the hash of the full token is kept.
 */
record StoredToken(String id, Role role, String user, String sha256, long created) {

    String toLine() {
        return id + " " + role.wireName() + " " + user + " " + sha256 + " " + created;
    }

    static StoredToken parse(String line) {
        String[] f = line.trim().split(" ", -1);
        if (f.length != 5) {
            throw new IllegalArgumentException("expected 5 fields, got " + f.length);
        }
        return new StoredToken(
                f[0],
                Role.parse(f[1]).orElseThrow(() -> new IllegalArgumentException("unknown role " + f[1])),
                f[2],
                f[3],
                Long.parseLong(f[4]));
    }
}
