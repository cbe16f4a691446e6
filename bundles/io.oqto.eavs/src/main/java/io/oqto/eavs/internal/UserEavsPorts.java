package io.oqto.eavs.internal;

/**
 * Where a user's own eavs listens in per-user mode: {@code [eavs] user_port_base + (uid - [usermgr] uid_min)} on
 * the host of {@code [eavs] base_url}, whose {@code {port}} it fills in. One rule for the control plane and the
 * runner, so both find the same eavs.
 */
record UserEavsPorts(String baseUrlPattern, long portBase, long uidMin) {

    int port(int uid) {
        long port = portBase + (uid - uidMin);
        if (uid < uidMin || port > 65535) {
            throw new IllegalStateException("uid " + uid + " gives no eavs port: [eavs] user_port_base " + portBase
                    + " + (uid - [usermgr] uid_min " + uidMin + ") must be at most 65535");
        }
        return (int) port;
    }

    String baseUrl(int uid) {
        return EavsAdminComponent.stripSlash(baseUrlPattern.replace("{port}", Integer.toString(port(uid))));
    }
}
