package io.oqto.provisioning.internal;

import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.eavs.UserEavs;
import io.oqto.api.eavs.VirtualKey;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.eavs.GetEavsKey;
import io.oqto.api.runner.eavs.SetEavsKey;
import io.oqto.api.users.ProvisioningException;
import io.oqto.api.users.ProvisioningException.Kind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provisioning step {@code eavs-key}: the user's virtual key, created at eavs with the user as owner and handed
 * to the user's runner, which keeps it where only the user can read it. Converges: a runner that holds an enabled
 * key of the user keeps it; any other enabled key of the user is revoked, so a user has one key at a time. The key
 * itself is never logged or kept by the control plane.
 */
final class EavsKeys {

    private static final Logger LOG = LoggerFactory.getLogger(EavsKeys.class);
    static final String STEP = "eavs-key";
    static final String CONFIG_STEP = "eavs-config";

    private final EavsAdmin eavs;
    private final RunnerGateway runners;
    private final Duration readyTimeout;

    /** @param readyTimeout how long a user's own eavs (per-user mode) may take to answer after it was started */
    EavsKeys(EavsAdmin eavs, RunnerGateway runners, Duration readyTimeout) {
        this.eavs = eavs;
        this.runners = runners;
        this.readyTimeout = readyTimeout;
    }

    boolean configured() {
        return eavs.configured();
    }

    /** Whether each user runs their own eavs, whose config provisioning writes ({@link #writeConfig}). */
    boolean perUser() {
        return eavs.configured() && eavs.mode() == EavsAdmin.Mode.PER_USER;
    }

    /**
     * The step {@code eavs-config} (per-user mode, before the services start): the user's own eavs config and
     * master key, written by the root helper into the user's home.
     */
    void writeConfig(Helper helper, String user, String linuxUser, int uid) {
        UserEavs own;
        try {
            own = eavs.userEavs(user, uid);
        } catch (EavsException | IllegalStateException e) {
            throw new ProvisioningException(Kind.FAILED, CONFIG_STEP, e.getMessage(), e);
        }
        try {
            helper.call(
                    "write-eavs-config",
                    Map.of("username", linuxUser, "port", own.port(), "master_key", own.masterKey()));
        } catch (ProvisioningException e) {
            throw new ProvisioningException(e.kind(), CONFIG_STEP, e.getMessage(), e);
        }
    }

    /** Forgets what per-user mode kept of the user (their eavs's master key). */
    void forget(String user) {
        eavs.forgetUser(user);
    }

    /**
     * Makes sure the user's runner holds an enabled key of the user.
     *
     * @return the key issued by this call (for undo), empty when the runner's key was kept
     */
    Optional<IssuedKey> ensure(String user) {
        try {
            awaitOwnEavs(user);
            String held = runners.call(user, new GetEavsKey()).keyHash();
            Optional<VirtualKey> kept = eavs.keys(user).stream()
                    .filter(k -> !k.disabled() && k.keyHash().equals(held))
                    .findFirst();
            if (kept.isPresent()) {
                revokeAllBut(user, kept.get().keyId());
                return Optional.empty();
            }
            IssuedKey issued = eavs.issueKey(user);
            try {
                runners.call(user, new SetEavsKey(issued.secret()));
            } catch (RuntimeException e) {
                revokeQuietly(user, issued.keyId(), e);
                throw e;
            }
            revokeAllBut(user, issued.keyId());
            LOG.info("eavs key {} issued for {} at {}", issued.keyId(), user, eavs.baseUrl());
            return Optional.of(issued);
        } catch (EavsException e) {
            throw failed(e);
        } catch (RunnerErrorException | RunnerUnavailableException e) {
            throw new ProvisioningException(
                    Kind.FAILED, STEP, "the runner of " + user + " did not take its eavs key: " + e.getMessage(), e);
        }
    }

    /** Per-user mode: the user's eavs was started with the runner; it may still be starting. */
    private void awaitOwnEavs(String user) {
        if (!perUser()) {
            return;
        }
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (true) {
            try {
                eavs.keys(user);
                return;
            } catch (EavsException e) {
                if (e.kind() != EavsException.Kind.UNREACHABLE || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProvisioningException(Kind.FAILED, STEP, "interrupted while waiting for the eavs of " + user);
            }
        }
    }

    /** Revokes every enabled key of the user (disable, delete); how many. */
    int revokeAll(String user) {
        try {
            int n = eavs.revokeKeys(user);
            LOG.info("revoked {} eavs key(s) of {}", n, user);
            return n;
        } catch (EavsException e) {
            throw failed(e);
        }
    }

    /** Undoes {@link #ensure}: the key it issued is revoked. */
    void revoke(String user, IssuedKey issued) {
        try {
            eavs.revokeKey(user, issued.keyId());
        } catch (EavsException e) {
            throw failed(e);
        }
    }

    private void revokeAllBut(String user, String keep) {
        for (VirtualKey k : eavs.keys(user)) {
            if (!k.disabled() && !k.keyId().equals(keep)) {
                eavs.revokeKey(user, k.keyId());
                LOG.info("revoked {}'s surplus eavs key {}", user, k.keyId());
            }
        }
    }

    private void revokeQuietly(String user, String keyId, RuntimeException cause) {
        try {
            eavs.revokeKey(user, keyId);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.error("the eavs key {} of {} could not be revoked after its runner refused it", keyId, user);
        }
    }

    private static ProvisioningException failed(EavsException e) {
        return new ProvisioningException(
                e.kind() == EavsException.Kind.NOT_CONFIGURED ? Kind.UNAVAILABLE : Kind.FAILED,
                STEP,
                e.getMessage(),
                e);
    }
}
