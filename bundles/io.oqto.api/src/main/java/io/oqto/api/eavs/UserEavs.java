package io.oqto.api.eavs;

/**
 * A user's own eavs (per-user mode): the port it listens on (127.0.0.1) and its master key, which the root helper
 * writes into the user's {@code ~/.config/eavs/env} (0600) and the control plane keeps to issue the user's key.
 * {@code toString} leaves the key out.
 */
public record UserEavs(int port, String masterKey) {
    @Override
    public String toString() {
        return "UserEavs[port=" + port + "]";
    }
}
