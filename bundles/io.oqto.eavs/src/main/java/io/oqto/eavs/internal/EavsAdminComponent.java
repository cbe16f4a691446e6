package io.oqto.eavs.internal;

import io.oqto.api.eavs.AdminUsage;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsStatus;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.eavs.UserEavs;
import io.oqto.api.eavs.UserUsage;
import io.oqto.api.eavs.VirtualKey;
import io.oqto.api.unix.UserPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

/**
 * The {@link EavsAdmin} service, from {@code [eavs]}: one eavs for the host, or each user's own (per-user mode,
 * {@link PerUserEavs}). Without a base URL every call but {@link #configured()} and {@link #status()} says eavs is
 * not configured. Holds no thread or socket between calls.
 */
@Component(
        service = EavsAdmin.class,
        configurationPid = {"oqto.eavs", "oqto.server", "oqto.routing", "oqto.usermgr"},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class EavsAdminComponent implements EavsAdmin {

    private volatile EavsAdmin delegate;

    @Activate
    public EavsAdminComponent(EavsConfig config, UserPlaces places) {
        delegate = of(config, places);
    }

    @Modified
    void modified(EavsConfig config, UserPlaces places) {
        delegate = of(config, places);
    }

    private static EavsAdmin of(EavsConfig config, UserPlaces places) {
        String url = stripSlash(config.baseUrl());
        if (url.isEmpty()) {
            return new NotConfigured();
        }
        Duration timeout = Duration.ofMillis(config.requestTimeoutMs());
        KeyDefaults defaults = new KeyDefaults(config.budgetUsd(), config.budgetWindow(), config.rpmLimit());
        if (config.mode().equals("per-user")) {
            Path state = Path.of(places.stateDir().isEmpty() ? "/var/lib/oqto" : places.stateDir());
            return new PerUserEavs(
                    url,
                    new UserPorts("[eavs] user_port_base", config.userPortBase(), places.uidMin()),
                    new MasterKeys(state.resolve("eavs")),
                    places.linuxUserPrefix(),
                    timeout,
                    defaults);
        }
        String masterKey = config.masterKey();
        return new EavsAdminClient(
                new EavsHttp(url, timeout),
                () -> SecretReference.resolve("[eavs] master_key", masterKey, System.getenv()),
                defaults);
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public Mode mode() {
        return delegate.mode();
    }

    @Override
    public UserEavs userEavs(String owner, int uid) {
        return delegate.userEavs(owner, uid);
    }

    @Override
    public void forgetUser(String owner) {
        delegate.forgetUser(owner);
    }

    @Override
    public boolean configured() {
        return delegate.configured();
    }

    @Override
    public String baseUrl() {
        return delegate.baseUrl();
    }

    @Override
    public IssuedKey issueKey(String owner) {
        return delegate.issueKey(owner);
    }

    @Override
    public List<VirtualKey> keys(String owner) {
        return delegate.keys(owner);
    }

    @Override
    public void revokeKey(String owner, String keyId) {
        delegate.revokeKey(owner, keyId);
    }

    @Override
    public int revokeKeys(String owner) {
        return delegate.revokeKeys(owner);
    }

    @Override
    public UserUsage usage(String owner, int days) {
        return delegate.usage(owner, days);
    }

    @Override
    public AdminUsage usageByOwner(int days) {
        return delegate.usageByOwner(days);
    }

    @Override
    public EavsStatus status() {
        return delegate.status();
    }

    /** No {@code [eavs] base_url}: nothing to reach. */
    private static final class NotConfigured implements EavsAdmin {

        private static EavsException notConfigured() {
            return new EavsException(
                    EavsException.Kind.NOT_CONFIGURED,
                    "eavs is not configured: set [eavs] base_url and master_key",
                    0,
                    null,
                    null);
        }

        @Override
        public Mode mode() {
            return Mode.CENTRAL;
        }

        @Override
        public UserEavs userEavs(String owner, int uid) {
            throw notConfigured();
        }

        @Override
        public void forgetUser(String owner) {}

        @Override
        public boolean configured() {
            return false;
        }

        @Override
        public String baseUrl() {
            return "";
        }

        @Override
        public IssuedKey issueKey(String owner) {
            throw notConfigured();
        }

        @Override
        public List<VirtualKey> keys(String owner) {
            throw notConfigured();
        }

        @Override
        public void revokeKey(String owner, String keyId) {
            throw notConfigured();
        }

        @Override
        public int revokeKeys(String owner) {
            throw notConfigured();
        }

        @Override
        public UserUsage usage(String owner, int days) {
            throw notConfigured();
        }

        @Override
        public AdminUsage usageByOwner(int days) {
            throw notConfigured();
        }

        @Override
        public EavsStatus status() {
            return new EavsStatus("", false, "eavs is not configured ([eavs] base_url)", List.of(), -1, -1);
        }
    }
}
