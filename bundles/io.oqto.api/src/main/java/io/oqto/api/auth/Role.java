package io.oqto.api.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a token allows: {@code admin} reaches every user's runner, {@code user} only its own. */
public enum Role {
    ADMIN,
    USER;

    /** The lower-case name used on the wire and in files. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a name stands for, in any case ({@code user}, {@code ADMIN}); empty for anything else. */
    public static Optional<Role> parse(String name) {
        return Arrays.stream(values())
                .filter(r -> r.name().equalsIgnoreCase(name))
                .findFirst();
    }
}
