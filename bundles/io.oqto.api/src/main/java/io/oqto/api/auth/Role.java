package io.oqto.api.auth;

/** What a token allows: {@code admin} reaches every user's runner, {@code user} only its own. */
public enum Role {
    ADMIN, USER;

    /** The lower-case name used on the wire and in files. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
