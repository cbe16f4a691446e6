package io.oqto.api.unix;

/**
 * Where a user's own loopback service listens when every user runs one (per-user eavs, per-user mmry): a base port
 * plus the user's offset in the platform's UID range, {@code portBase + (uid - uidMin)}. One rule for the control
 * plane, the root helper's configuration and the runner, so all of them find the same service without storing a
 * port anywhere.
 *
 * @param baseKey the configuration key the base comes from, named in errors (e.g. {@code [eavs] user_port_base})
 * @param portBase the port of the user with the lowest UID
 * @param uidMin {@code [usermgr] uid_min}, the lowest UID given to a platform user
 */
public record UserPorts(String baseKey, long portBase, long uidMin) {

    /** The placeholder a URL pattern carries where the user's port goes. */
    public static final String PLACEHOLDER = "{port}";

    /** The port of the user with this UID; an {@link IllegalStateException} naming the keys when there is none. */
    public int port(int uid) {
        if (uid < uidMin) {
            throw new IllegalStateException("uid " + uid + " gives no port: it is below [usermgr] uid_min " + uidMin
                    + ", so not a platform user's");
        }
        long port = portBase + (uid - uidMin);
        if (port > 65535) {
            throw new IllegalStateException("uid " + uid + " gives no port: " + baseKey + " " + portBase
                    + " + (uid - [usermgr] uid_min " + uidMin + ") must be at most 65535");
        }
        return (int) port;
    }

    /** {@code urlPattern} with {@link #PLACEHOLDER} replaced by the port of the user with this UID. */
    public String url(String urlPattern, int uid) {
        return urlPattern.replace(PLACEHOLDER, Integer.toString(port(uid)));
    }

    /** Whether {@code urlPattern} names a per-user service (carries the placeholder). */
    public static boolean perUser(String urlPattern) {
        return urlPattern.contains(PLACEHOLDER);
    }
}
