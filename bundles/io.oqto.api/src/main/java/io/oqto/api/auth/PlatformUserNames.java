package io.oqto.api.auth;

import java.util.regex.Pattern;

/**
 * What a platform user name may be: lower-case letters, digits, {@code _} and {@code -}, starting with a
 * letter, at most 31 characters. Narrow on purpose: names end up in Linux user names and socket paths.
 */
public final class PlatformUserNames {

    public static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9_-]{0,30}");

    private PlatformUserNames() {}

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
