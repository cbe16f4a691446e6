package io.oqto.hstry.internal;

import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.Home;
import io.oqto.runner.spi.history.ChosenHistoryStore;
import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryException;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.runner.spi.history.HistoryStore;
import io.oqto.runner.spi.history.SearchHit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The user's history in hstry: found where hstry's own client finds it at the first use and again after hstry
 * stopped answering, so hstry may start after the runner and restart under it. In single-user mode an installed
 * hstry that does not answer is started by the runner ({@link HstrySupervisor}); in multi-user mode the service
 * manager runs it (provisioning's {@code hstry.service}).
 */
@Component(
        service = HistoryStore.class,
        configurationPid = "oqto.history",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HstryConfig.class)
public final class HstryHistoryComponent implements HistoryStore {

    private final Map<String, String> env;
    private final @Nullable HstrySupervisor supervisor;
    private volatile HstryConfig config;
    private @Nullable HstryHistory connection;

    /** Active only while {@code [history] store} chooses hstry. */
    @Activate
    public HstryHistoryComponent(
            HstryConfig config,
            BundleContext context,
            @Reference(target = "(" + ChosenHistoryStore.STORE + "=" + ChosenHistoryStore.HSTRY + ")")
                    ChosenHistoryStore chosen) {
        this(
                config,
                System.getenv(),
                DeploymentMode.of(context).isMultiUser()
                        ? null
                        : new HstrySupervisor(Home.state().resolve("oqto/hstry.log")));
    }

    HstryHistoryComponent(HstryConfig config, Map<String, String> env, @Nullable HstrySupervisor supervisor) {
        this.config = config;
        this.env = env;
        this.supervisor = supervisor;
    }

    @Modified
    void modified(HstryConfig config) {
        this.config = config;
        disconnect();
    }

    @Deactivate
    void deactivate() {
        disconnect();
        if (supervisor != null) {
            supervisor.stop();
        }
    }

    @Override
    public String kind() {
        return "hstry";
    }

    @Override
    public void write(Conversation conversation, List<HistoryMessage> messages) throws HistoryException {
        use(h -> {
            h.write(conversation, messages);
            return Boolean.TRUE;
        });
    }

    @Override
    public List<Conversation> list(int limit, int offset) throws HistoryException {
        return use(h -> h.list(limit, offset));
    }

    @Override
    public Optional<Conversation> find(String id) throws HistoryException {
        return use(h -> h.find(id));
    }

    @Override
    public List<HistoryMessage> messages(String id, int limit, boolean tail) throws HistoryException {
        return use(h -> h.messages(id, limit, tail));
    }

    @Override
    public List<SearchHit> search(String query, @Nullable String workspace, @Nullable String role, int limit)
            throws HistoryException {
        return use(h -> h.search(query, workspace, role, limit));
    }

    @Override
    public void rename(String id, String title) throws HistoryException {
        use(h -> {
            h.rename(id, title);
            return Boolean.TRUE;
        });
    }

    @Override
    public boolean delete(String id) throws HistoryException {
        return use(h -> h.delete(id));
    }

    @FunctionalInterface
    private interface Use<T> {
        T run(HstryHistory h) throws HistoryException;
    }

    /** One call on the connection; a failure that may pass drops it, so the next call looks for hstry again. */
    private <T> T use(Use<T> call) throws HistoryException {
        HstryHistory h = connection();
        try {
            return call.run(h);
        } catch (HistoryException e) {
            if (e.retryable()) {
                disconnect(h);
            }
            throw e;
        }
    }

    private synchronized HstryHistory connection() throws HistoryException {
        HstryHistory h = connection;
        if (h != null) {
            return h;
        }
        try {
            h = HstryHistory.connect(HstryDiscovery.candidates(env, Home.current()), config.hstryTimeoutMs());
        } catch (HistoryException e) {
            if (supervisor == null) {
                throw e;
            }
            throw new HistoryException(e.getMessage() + "; " + supervisor.startIfInstalled(config.hstry()), true, e);
        }
        connection = h;
        return h;
    }

    private synchronized void disconnect() {
        HstryHistory h = connection;
        connection = null;
        if (h != null) {
            h.close();
        }
    }

    private synchronized void disconnect(HstryHistory failed) {
        if (connection == failed) {
            disconnect();
        }
    }
}
