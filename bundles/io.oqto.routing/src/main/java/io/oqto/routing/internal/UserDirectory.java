package io.oqto.routing.internal;

import io.oqto.api.auth.PlatformUserNames;
import io.oqto.api.runner.UnknownUserException;
import io.oqto.api.unix.UnixAccount;
import io.oqto.api.unix.UnixAccounts;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Platform user → Linux account. In single-user mode the only platform user is the account the
 * control plane runs as. In multi-user mode platform user {@code alice} is Linux user
 * {@code <prefix>alice}; it must exist (provisioning creates it). Found accounts are remembered for
 * {@link #TTL} (a lookup runs {@code getent}, a process: too slow for every request); the router forgets
 * one as soon as its runner cannot be reached, so a deleted user is reported as unknown at once.
 */
final class UserDirectory {

    private final boolean singleUser;
    private final String prefix;
    private final UnixAccount self;
    private final Function<String, Optional<UnixAccount>> lookup;
    static final long TTL = TimeUnit.SECONDS.toNanos(10);
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(UnixAccount account, long expires) {}

    UserDirectory(boolean singleUser, String prefix, UnixAccount self, Function<String, Optional<UnixAccount>> lookup) {
        this.singleUser = singleUser;
        this.prefix = prefix;
        this.self = self;
        this.lookup = lookup;
    }

    static UserDirectory system(boolean singleUser, String prefix) {
        int uid = UnixAccounts.currentUid();
        UnixAccount self = UnixAccounts.byUid(uid)
                .orElse(new UnixAccount(System.getProperty("user.name"), uid, -1, System.getProperty("user.home")));
        return new UserDirectory(singleUser, prefix, self, UnixAccounts::byName);
    }

    UnixAccount accountOf(String platformUser) {
        if (!PlatformUserNames.isValid(platformUser)) {
            throw new UnknownUserException("no such user: " + platformUser);
        }
        if (singleUser) {
            if (platformUser.equals(self.name())) {
                return self;
            }
            throw new UnknownUserException(
                    "no such user: " + platformUser + " (single-user mode serves only " + self.name() + ")");
        }
        Cached c = cache.get(platformUser);
        if (c != null && System.nanoTime() - c.expires() < 0) {
            return c.account();
        }
        UnixAccount account = lookup.apply(prefix + platformUser)
                .orElseThrow(() -> new UnknownUserException(
                        "no such user: " + platformUser + " (no Linux account " + prefix + platformUser + ")"));
        cache.put(platformUser, new Cached(account, System.nanoTime() + TTL));
        return account;
    }

    /** Drops what is remembered of {@code platformUser}; true when there was something. */
    boolean forget(String platformUser) {
        return cache.remove(platformUser) != null;
    }
}
