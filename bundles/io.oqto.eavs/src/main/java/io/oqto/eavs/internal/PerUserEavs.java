package io.oqto.eavs.internal;

import io.oqto.api.eavs.AdminUsage;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsStatus;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.eavs.OwnerUsage;
import io.oqto.api.eavs.UserEavs;
import io.oqto.api.eavs.UserUsage;
import io.oqto.api.eavs.VirtualKey;
import io.oqto.api.unix.UnixAccount;
import io.oqto.api.unix.UnixAccounts;
import io.oqto.api.unix.UserPorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Per-user mode: each user runs their own eavs (the seed's user service) on a port given by their uid
 * ({@link UserPorts}), with a master key the control plane made at provisioning ({@link MasterKeys}). Every
 * call for a user goes to that user's eavs; the admin views ask every user's eavs and add up.
 */
final class PerUserEavs implements EavsAdmin {

    private final String urlPattern;
    private final UserPorts ports;
    private final MasterKeys masterKeys;
    private final String linuxUserPrefix;
    private final Duration timeout;
    private final KeyDefaults defaults;
    private final Function<String, Optional<Integer>> uidOf;

    PerUserEavs(
            String urlPattern,
            UserPorts ports,
            MasterKeys masterKeys,
            String linuxUserPrefix,
            Duration timeout,
            KeyDefaults defaults) {
        this(
                urlPattern,
                ports,
                masterKeys,
                linuxUserPrefix,
                timeout,
                defaults,
                name -> UnixAccounts.byName(name).map(UnixAccount::uid));
    }

    /**
     * @param urlPattern {@code [eavs] base_url}, with {@code {port}} where the user's port goes
     * @param uidOf a Linux account's uid by name
     */
    PerUserEavs(
            String urlPattern,
            UserPorts ports,
            MasterKeys masterKeys,
            String linuxUserPrefix,
            Duration timeout,
            KeyDefaults defaults,
            Function<String, Optional<Integer>> uidOf) {
        this.uidOf = uidOf;
        this.urlPattern = urlPattern;
        this.ports = ports;
        this.masterKeys = masterKeys;
        this.linuxUserPrefix = linuxUserPrefix;
        this.timeout = timeout;
        this.defaults = defaults;
    }

    @Override
    public Mode mode() {
        return Mode.PER_USER;
    }

    @Override
    public UserEavs userEavs(String owner, int uid) {
        return new UserEavs(ports.port(uid), masterKeys.getOrCreate(owner));
    }

    @Override
    public void forgetUser(String owner) {
        masterKeys.forget(owner);
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public String baseUrl() {
        return urlPattern;
    }

    /** The admin client of {@code owner}'s own eavs. */
    private EavsAdminClient client(String owner) {
        String master = masterKeys
                .find(owner)
                .orElseThrow(() -> new EavsException(
                        EavsException.Kind.NOT_CONFIGURED,
                        owner + " has no eavs of their own yet: provisioning makes it (oqtoctl user create)",
                        0,
                        null,
                        null));
        int uid = uidOf.apply(linuxUserPrefix + owner)
                .orElseThrow(() -> new EavsException(
                        EavsException.Kind.NOT_FOUND,
                        "no Linux account " + linuxUserPrefix + owner + " for " + owner + "'s eavs",
                        0,
                        null,
                        null));
        return new EavsAdminClient(new EavsHttp(ports.url(urlPattern, uid), timeout), () -> master, defaults);
    }

    @Override
    public IssuedKey issueKey(String owner) {
        return client(owner).issueKey(owner);
    }

    @Override
    public List<VirtualKey> keys(String owner) {
        return client(owner).keys(owner);
    }

    @Override
    public void revokeKey(String owner, String keyId) {
        client(owner).revokeKey(owner, keyId);
    }

    @Override
    public int revokeKeys(String owner) {
        return client(owner).revokeKeys(owner);
    }

    @Override
    public UserUsage usage(String owner, int days) {
        return client(owner).usage(owner, days);
    }

    /** Every user's eavs, their own rows only (another owner's rows cannot be in it); one that is down fails it. */
    @Override
    public AdminUsage usageByOwner(int days) {
        List<OwnerUsage> total = new ArrayList<>();
        List<List<OwnerUsage>> daily = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            daily.add(new ArrayList<>());
        }
        for (String owner : masterKeys.owners()) {
            AdminUsage one = client(owner).usageByOwner(days);
            total.addAll(one.total());
            for (AdminUsage.DayUsage day : one.daily()) {
                daily.get(day.daysAgo()).addAll(day.owners());
            }
        }
        total.sort(Comparator.comparingDouble(OwnerUsage::costUsd).reversed());
        List<AdminUsage.DayUsage> byDay = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            byDay.add(new AdminUsage.DayUsage(d, List.copyOf(daily.get(d))));
        }
        return new AdminUsage(days, List.copyOf(total), List.copyOf(byDay));
    }

    /** Reachable when every user's eavs is; the providers of all, the keys added up; the first problem named. */
    @Override
    public EavsStatus status() {
        boolean reachable = true;
        List<String> problems = new ArrayList<>();
        TreeSet<String> providers = new TreeSet<>();
        long total = 0;
        long enabled = 0;
        for (String owner : masterKeys.owners()) {
            EavsStatus s;
            try {
                s = client(owner).status();
            } catch (EavsException e) {
                s = new EavsStatus("", false, e.getMessage(), List.of(), -1, -1);
            }
            reachable &= s.reachable();
            if (s.problem() != null) {
                problems.add(owner + ": " + s.problem());
            }
            providers.addAll(s.providers());
            total += Math.max(0, s.totalKeys());
            enabled += Math.max(0, s.enabledKeys());
        }
        return new EavsStatus(
                urlPattern + " (one per user: " + masterKeys.owners().size() + ")",
                reachable,
                problems.isEmpty() ? null : String.join("; ", problems),
                List.copyOf(providers),
                total,
                enabled);
    }
}
