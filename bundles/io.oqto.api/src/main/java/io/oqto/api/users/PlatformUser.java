package io.oqto.api.users;

import io.oqto.api.auth.Role;
import java.time.Instant;
import java.util.Locale;

/**
 * A platform user as the control plane records it.
 *
 * @param name platform user name ({@link io.oqto.api.auth.PlatformUserNames})
 * @param email contact address
 * @param role what the user's first token allows
 * @param linuxUser the Linux account the user's runner runs as
 * @param uid that account's uid
 * @param state active, or disabled (no tokens, services stopped, account kept)
 * @param created when provisioning first recorded the user
 */
public record PlatformUser(
        String name, String email, Role role, String linuxUser, int uid, State state, Instant created) {

    /** Whether the user may use the platform. */
    public enum State {
        ACTIVE,
        DISABLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
