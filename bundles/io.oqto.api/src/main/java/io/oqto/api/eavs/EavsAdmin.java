package io.oqto.api.eavs;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * eavs's admin API as the control plane uses it, with the master key of {@code [eavs]}. Every call that
 * reaches eavs throws {@link EavsException} when it cannot: the message names eavs's URL.
 */
@ProviderType
public interface EavsAdmin {

    /** How eavs runs: one for the host ({@code [eavs] mode = "central"}), or each user's own ({@code "per-user"}). */
    enum Mode {
        CENTRAL,
        PER_USER
    }

    /** {@code [eavs] mode}. */
    Mode mode();

    /**
     * Per-user mode: the port and master key of {@code owner}'s own eavs, the master key made (and kept, 0600) now
     * when the user has none yet.
     *
     * @param uid the user's Linux uid, which gives the port
     */
    UserEavs userEavs(String owner, int uid);

    /** Per-user mode: forgets {@code owner}'s master key (the user is deleted); nothing in central mode. */
    void forgetUser(String owner);

    /** Whether {@code [eavs] base_url} is set; if not, every other call throws {@link EavsException.Kind#NOT_CONFIGURED}. */
    boolean configured();

    /** eavs's base URL as configured (empty when not configured). */
    String baseUrl();

    /**
     * Creates a virtual key owned by {@code owner}, with the configured budget and rate limit.
     *
     * @return the key with its secret, which eavs shows this once
     */
    IssuedKey issueKey(String owner);

    /** The keys eavs has for {@code owner}, enabled or not, newest first; no secrets. */
    List<VirtualKey> keys(String owner);

    /** Revokes (eavs disables) one key of {@code owner}'s, by its id. */
    void revokeKey(String owner, String keyId);

    /** Revokes (eavs disables) every enabled key of {@code owner}; returns how many. */
    int revokeKeys(String owner);

    /** What {@code owner} spent in the last {@code days} days, their keys and their latest requests. */
    UserUsage usage(String owner, int days);

    /** Every owner's spend in the last {@code days} days, in total and day by day. */
    AdminUsage usageByOwner(int days);

    /** Whether eavs answers, its providers and key counts; never throws for an eavs that is down. */
    EavsStatus status();
}
