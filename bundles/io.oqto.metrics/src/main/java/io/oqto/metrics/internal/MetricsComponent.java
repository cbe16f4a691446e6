package io.oqto.metrics.internal;

import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.metrics.Gauge;
import io.oqto.api.metrics.Metrics;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerStatus;
import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.UserPorts;
import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.UserProvisioning;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Metrics} service of the control plane. Everything it reads is optional and read when a scrape needs it,
 * so that updating routing, provisioning or eavs does not reset the counters, and a missing one only leaves its
 * figures out.
 */
@Component(
        service = Metrics.class,
        configurationPid = {"oqto.memory", "oqto.usermgr"},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class MetricsComponent implements Metrics, CurrentFigures.Sources {

    /** How long one user's mmry may take to answer a scrape's question. */
    private static final int MMRY_TIMEOUT_MS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    /** How long a scrape waits for runners' statuses (Prometheus's default scrape timeout is 10 s). */
    private static final Duration RUNNER_DEADLINE = Duration.ofSeconds(3);

    // Routing and provisioning report into these metrics, so referencing them back (a DS reference, or a tracker,
    // which gets the service as it sees it) makes a cycle the framework refuses; they are got when a scrape needs
    // them, and let go after.
    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Gauge> gauges = List.of();

    private final boolean multiUser;
    private final ExecutorService askers;
    private final PrometheusMetrics metrics;

    private volatile MetricsConfig config;

    @Activate
    public MetricsComponent(BundleContext context, MetricsConfig config) {
        this.config = config;
        multiUser = DeploymentMode.of(context).isMultiUser();
        this.context = context;
        AtomicInteger n = new AtomicInteger();
        askers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "oqto-metrics-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        metrics = new PrometheusMetrics(new CurrentFigures(this, askers, RUNNER_DEADLINE));
    }

    @Modified
    void modified(MetricsConfig config) {
        this.config = config;
    }

    @Deactivate
    void deactivate() {
        askers.shutdownNow();
    }

    @Override
    public void restRequest(String method, String route, int status, long nanos) {
        metrics.restRequest(method, route, status, nanos);
    }

    @Override
    public void runnerRoundTrip(String type, String outcome, long nanos) {
        metrics.runnerRoundTrip(type, outcome, nanos);
    }

    @Override
    public void provisioning(String outcome, long nanos) {
        metrics.provisioning(outcome, nanos);
    }

    @Override
    public void scrape(OutputStream out) throws IOException {
        metrics.scrape(out);
    }

    /** Multi-user: the active provisioned users; single-user: the one user running Oqto. */
    @Override
    public List<String> users() {
        if (!multiUser) {
            return List.of(System.getProperty("user.name"));
        }
        return using(
                        UserProvisioning.class,
                        p -> p.list().stream()
                                .filter(u -> u.state() == PlatformUser.State.ACTIVE)
                                .map(PlatformUser::name)
                                .toList())
                .orElse(List.of());
    }

    @Override
    public Optional<RunnerStatus> status(String user) {
        return using(RunnerGateway.class, r -> r.status(user));
    }

    @Override
    public boolean running(String user) {
        return using(RunnerGateway.class, r -> r.connected(user)).orElse(false);
    }

    @Override
    public Optional<Boolean> eavsReachable() {
        return using(EavsAdmin.class, e -> e.configured() ? reachable(e) : null);
    }

    private static boolean reachable(EavsAdmin eavs) {
        try {
            return eavs.status().reachable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * What {@code use} makes of the service, got for the call and let go after; empty when there is none, or when it
     * fails (a runner that does not answer, eavs down: a scrape reports what it could read).
     */
    private <S, R> Optional<R> using(Class<S> type, Function<S, @Nullable R> use) {
        ServiceReference<S> ref = context.getServiceReference(type);
        S service = ref == null ? null : context.getService(ref);
        if (ref == null || service == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(use.apply(service));
        } catch (RuntimeException e) {
            LOG.debug("metrics: {} failed: {}", type.getSimpleName(), e.toString());
            return Optional.empty();
        } finally {
            context.ungetService(ref);
        }
    }

    /** Multi-user with {@code {port}}: each active user's mmry on their port; otherwise the one configured. */
    @Override
    public Optional<List<String>> mmryUrls() {
        MetricsConfig c = config;
        if (!c.store().equals("mmry")) {
            return Optional.empty();
        }
        if (!multiUser || !UserPorts.perUser(c.mmryUrl())) {
            return Optional.of(List.of(c.mmryUrl()));
        }
        UserPorts ports = new UserPorts("[memory] mmry_user_port_base", c.mmryUserPortBase(), c.uidMin());
        return Optional.of(using(
                        UserProvisioning.class,
                        p -> p.list().stream()
                                .filter(u -> u.state() == PlatformUser.State.ACTIVE)
                                .map(u -> ports.url(c.mmryUrl(), u.uid()))
                                .toList())
                .orElse(List.of()));
    }

    @Override
    public boolean answers(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection)
                    URI.create(url.replaceAll("/+$", "") + "/v1/models").toURL().openConnection();
            c.setConnectTimeout(MMRY_TIMEOUT_MS);
            c.setReadTimeout(MMRY_TIMEOUT_MS);
            try {
                return c.getResponseCode() > 0;
            } finally {
                c.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public Collection<Gauge> gauges() {
        return gauges;
    }
}
