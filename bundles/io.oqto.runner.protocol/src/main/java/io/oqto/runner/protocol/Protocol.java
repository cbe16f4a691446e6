package io.oqto.runner.protocol;

import org.jspecify.annotations.Nullable;

/** Protocol constants shared by both ends. */
public final class Protocol {

    /** The version this code speaks, {@code major.minor}. Peers with another major version are refused. */
    public static final String VERSION = "1.10";

    public static final int MAJOR = 1;

    /** Default and hard upper bound of one frame, newline excluded. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

    public static final int MAX_ID_LENGTH = 128;

    public static final String HELLO = "hello";
    public static final String WELCOME = "welcome";
    public static final String PING = "ping";
    public static final String PONG = "pong";
    public static final String STATUS = "status";
    public static final String ERROR = "error";
    /** Ends any subscription made on the same connection (since 1.3; 1.2 had one per kind). */
    public static final String UNSUBSCRIBE = "unsubscribe";

    private Protocol() {}

    /** The major part of a {@code major.minor} version string, or -1 when it is not one. */
    public static int majorOf(@Nullable String version) {
        if (version == null) {
            return -1;
        }
        int dot = version.indexOf('.');
        String major = dot < 0 ? version : version.substring(0, dot);
        try {
            return major.isEmpty() || major.length() > 4 ? -1 : Integer.parseInt(major);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
