package io.oqto.routing.internal;

import io.oqto.api.unix.UnixAccount;
import java.nio.file.Path;

/**
 * Where one platform user's runner is: the Linux account it must run as and its socket.
 *
 * @param platformUser the platform user name
 * @param account the Linux account; the runner's peer uid must be this uid (or root)
 * @param socket the socket path
 */
record RunnerAddress(String platformUser, UnixAccount account, Path socket) {

    static Path socketFor(String pattern, UnixAccount account) {
        return Path.of(pattern.replace("{uid}", Integer.toString(account.uid())).replace("{user}", account.name()));
    }
}
