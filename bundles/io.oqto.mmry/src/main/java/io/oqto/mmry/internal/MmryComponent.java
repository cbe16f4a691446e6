package io.oqto.mmry.internal;

import io.oqto.api.unix.Home;
import io.oqto.api.unix.KeyReference;
import io.oqto.api.unix.UnixAccounts;
import io.oqto.api.unix.UserPorts;
import io.oqto.runner.spi.memory.Memory;
import io.oqto.runner.spi.memory.MemoryDraft;
import io.oqto.runner.spi.memory.MemoryException;
import io.oqto.runner.spi.memory.MemoryPage;
import io.oqto.runner.spi.memory.MemorySearch;
import io.oqto.runner.spi.memory.MemoryStore;
import io.oqto.runner.spi.memory.SearchMode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

/**
 * The runner's {@code mmry} memory store: the user's mmry daemon at {@code [memory] mmry_url}, with its key read from
 * {@code [memory] mmry_key} (a file only the user can read, or an environment variable) at each change of the
 * configuration. Used when {@code [memory] store = "mmry"}.
 *
 * <p>Multi-user hosts run one mmry per user, each on its own loopback port: {@code mmry_url} carries {@code {port}},
 * filled with {@code mmry_user_port_base + (uid - [usermgr] uid_min)} for the runner's own uid (the port provisioning
 * wrote into the user's mmry config), and the key defaults to the one provisioning made for that mmry, which every
 * request must carry because any local user can reach a loopback port.
 */
@Component(
        service = MemoryStore.class,
        configurationPid = {"oqto.memory", "oqto.usermgr"},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class MmryComponent implements MemoryStore {

    /** Where provisioning puts the key of the user's own mmry (per-user mode), relative to the config home. */
    static final String USER_KEY_FILE = "oqto/mmry.key";

    private final int uid;
    private final Path configHome;
    private volatile MmryStore store;
    /** What makes every call fail until the configuration changes (a key that cannot be read, no port), or null. */
    private volatile @Nullable String problem;

    @Activate
    public MmryComponent(MmryConfig config) {
        this(config, UnixAccounts.currentUid(), Home.config());
    }

    /** @param configHome the user's {@code $XDG_CONFIG_HOME}, where provisioning put a per-user mmry's key */
    MmryComponent(MmryConfig config, int uid, Path configHome) {
        this.uid = uid;
        this.configHome = configHome;
        this.store = configure(config);
    }

    @Modified
    void modified(MmryConfig config) {
        store = configure(config);
    }

    private MmryStore configure(MmryConfig config) {
        String url = config.mmryUrl();
        String keyReference = config.mmryKey();
        String keyName = "[memory] mmry_key";
        problem = null;
        if (UserPorts.perUser(url)) {
            try {
                url = new UserPorts("[memory] mmry_user_port_base", config.mmryUserPortBase(), config.uidMin())
                        .url(url, uid);
            } catch (IllegalStateException e) {
                problem = "[memory] mmry_url: " + e.getMessage();
                url = config.mmryUrl().replace(UserPorts.PLACEHOLDER, "0");
            }
            if (keyReference.isEmpty()) {
                Path file = configHome.resolve(USER_KEY_FILE);
                keyReference = "file:" + file;
                keyName = "the key provisioning wrote, ~/.config/" + USER_KEY_FILE;
            }
        }
        String key = null;
        try {
            key = KeyReference.resolve(keyReference);
        } catch (IOException e) {
            if (problem == null) {
                problem = keyName + ": " + e.getMessage();
            }
        }
        return new MmryStore(new MmryHttp(url, key, keyName, Duration.ofMillis(config.mmryTimeoutMs())));
    }

    private MmryStore store() throws MemoryException {
        String p = this.problem;
        if (p != null) {
            throw new MemoryException(MemoryException.Kind.UNAVAILABLE, p);
        }
        return store;
    }

    @Override
    public String kind() {
        return "mmry";
    }

    @Override
    public MemoryPage list(Path workspace, @Nullable String category, @Nullable String tag, int limit, int offset)
            throws MemoryException {
        return store().list(workspace, category, tag, limit, offset);
    }

    @Override
    public Optional<Memory> get(Path workspace, String id) throws MemoryException {
        return store().get(workspace, id);
    }

    @Override
    public Memory create(Path workspace, MemoryDraft draft) throws MemoryException {
        return store().create(workspace, draft);
    }

    @Override
    public Memory update(Path workspace, String id, MemoryDraft change) throws MemoryException {
        return store().update(workspace, id, change);
    }

    @Override
    public boolean delete(Path workspace, String id) throws MemoryException {
        return store().delete(workspace, id);
    }

    @Override
    public MemorySearch search(Path workspace, String query, int limit, SearchMode mode) throws MemoryException {
        return store().search(workspace, query, limit, mode);
    }
}
