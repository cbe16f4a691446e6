package io.oqto.eavs.internal;

import io.oqto.api.eavs.AdminUsage;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsStatus;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.eavs.UserUsage;
import io.oqto.api.eavs.VirtualKey;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link EavsAdmin} service, from {@code [eavs]}. Without a base URL every call but {@link #configured()} and
 * {@link #status()} says eavs is not configured. Holds no thread or socket between calls.
 */
@Component(
        service = EavsAdmin.class,
        configurationPid = "oqto.eavs",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EavsConfig.class)
public final class EavsAdminComponent implements EavsAdmin {

    private volatile @Nullable EavsAdminClient client;

    @Activate
    public EavsAdminComponent(EavsConfig config) {
        modified(config);
    }

    @Modified
    void modified(EavsConfig config) {
        String url = stripSlash(config.baseUrl());
        String masterKey = config.masterKey();
        client = url.isEmpty()
                ? null
                : new EavsAdminClient(
                        new EavsHttp(url, Duration.ofMillis(config.requestTimeoutMs())),
                        () -> SecretReference.resolve("[eavs] master_key", masterKey, System.getenv()),
                        new KeyDefaults(config.budgetUsd(), config.budgetWindow(), config.rpmLimit()));
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private EavsAdminClient client() {
        EavsAdminClient c = client;
        if (c == null) {
            throw new EavsException(
                    EavsException.Kind.NOT_CONFIGURED,
                    "eavs is not configured: set [eavs] base_url and master_key",
                    0,
                    null,
                    null);
        }
        return c;
    }

    @Override
    public boolean configured() {
        return client != null;
    }

    @Override
    public String baseUrl() {
        EavsAdminClient c = client;
        return c == null ? "" : c.baseUrl();
    }

    @Override
    public IssuedKey issueKey(String owner) {
        return client().issueKey(owner);
    }

    @Override
    public List<VirtualKey> keys(String owner) {
        return client().keys(owner);
    }

    @Override
    public void revokeKey(String keyId) {
        client().revokeKey(keyId);
    }

    @Override
    public int revokeKeys(String owner) {
        return client().revokeKeys(owner);
    }

    @Override
    public UserUsage usage(String owner, int days) {
        return client().usage(owner, days);
    }

    @Override
    public AdminUsage usageByOwner(int days) {
        return client().usageByOwner(days);
    }

    @Override
    public EavsStatus status() {
        EavsAdminClient c = client;
        return c == null
                ? new EavsStatus("", false, "eavs is not configured ([eavs] base_url)", List.of(), -1, -1)
                : c.status();
    }
}
