package io.oqto.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;
import io.oqto.api.audit.AuditLog;
import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.Passwords;
import io.oqto.api.auth.TokenService;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.gate.ApiGate;
import io.oqto.api.metrics.Gauge;
import io.oqto.api.metrics.Metrics;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.users.UserProvisioning;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * Publishes the REST API under {@code /api} on CXF's servlet transport. Built programmatically so the
 * bundle owns its endpoint: deactivation destroys it, and a {@code bundle:update} brings it back.
 */
@Component(immediate = true, configurationPid = "oqto.auth", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RestServer {

    private final LoginThrottle throttle;

    private final Server server;
    private final Bus bus;
    private final EventStreams streams;
    /** Optional and dynamic: provisioning can be updated or missing (single-user builds) without the API restarting. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile UserProvisioning provisioning;
    /** Likewise the audit log: requests go on (unaudited) while it is updated or missing. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog audit;
    /** Likewise the metrics: requests go on, unmeasured, while they are updated or missing. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Metrics metrics;
    /** The open event streams, a gauge the metrics read at each scrape. */
    private final ServiceRegistration<Gauge> streamGauge;
    /** How long stopping waits for the requests under way (event streams end within a second of being told). */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
    private volatile @Nullable ApiGate gate;
    /** Set once the endpoint answers, cleared as it stops: whether a gate that comes now should be opened. */
    private volatile boolean serving;
    /** Likewise: the eavs connector can be updated without the API restarting. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EavsAdmin eavs;

    @Activate
    public RestServer(
            @Reference RunnerGateway runners,
            @Reference TokenService tokens,
            @Reference BrowserSessions sessions,
            @Reference Passwords passwords,
            RestConfig config,
            BundleContext context) {
        throttle = new LoginThrottle(
                (int) config.loginAttempts(), (int) config.loginAttemptsPerAddress(), Clock.systemUTC());
        AuthResource auth = new AuthResource(
                sessions,
                passwords,
                throttle,
                () -> provisioning,
                DeploymentMode.of(context).isMultiUser() ? null : System.getProperty("user.name"));
        ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        streams = new EventStreams(mapper);
        Bodies bodies = new Bodies(mapper);
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // CXF looks up its extensions through the context class loader.
        thread.setContextClassLoader(JAXRSServerFactoryBean.class.getClassLoader());
        try {
            bus = BusFactory.newInstance().createBus();
            // The class loader CXF makes current while it serves a request: without it CXF resolves one through its
            // resource manager at every request, searching the class path (profiled: 7 % of a ping's time).
            bus.setExtension(JAXRSServerFactoryBean.class.getClassLoader(), ClassLoader.class);
            factory.setBus(bus);
            factory.setAddress("/"); // under CXF's servlet context, /api (etc/org.apache.cxf.osgi.cfg)
            String version = context.getBundle().getVersion().toString();
            List<Object> resources = List.of(
                    new HealthResource(version),
                    new RunnerResource(runners),
                    new FilesResource(runners),
                    new WorkspaceEditsResource.Directories(runners, bodies),
                    new WorkspaceEditsResource.Renames(runners, bodies),
                    new ProcessesResource(runners, streams, bodies),
                    new ProgramsResource(runners, bodies),
                    new SessionsResource(runners, streams, bodies),
                    new ModelsResource(runners),
                    new TerminalsResource(runners, bodies),
                    new TokensResource(tokens, bodies, Clock.systemUTC()),
                    new HistoryResource(runners, bodies),
                    new MemoriesResource(runners, bodies),
                    auth,
                    new MeResource(auth, passwords, sessions),
                    new AdminUsersResource(() -> provisioning, passwords, sessions),
                    new UsageResource(() -> eavs),
                    new MetricsResource(() -> metrics));
            // The API's description, read from the classes of the resources above (and its own) at its first request.
            List<Class<?>> described = new ArrayList<>();
            resources.forEach(r -> described.add(r.getClass()));
            described.add(OpenApiResource.class);
            List<Object> beans = new ArrayList<>(resources);
            beans.add(new OpenApiResource(() -> OpenApiDocument.json(described, version)));
            factory.setServiceBeans(beans);
            factory.setProviders(List.of(
                    new JacksonJsonProvider(mapper),
                    new MetricsFilter(() -> metrics),
                    new AuthFilter(tokens, sessions),
                    new AuditFilter(() -> audit),
                    new BodyLimit(),
                    new ProblemMapper()));
            server = factory.create();
        } finally {
            thread.setContextClassLoader(previous);
        }
        streamGauge = context.registerService(Gauge.class, streams.gauge(), null);
        serving = true;
        ApiGate g = gate;
        if (g != null) {
            g.open();
        }
    }

    /** The gate in front of /api: opened as this endpoint answers, or when the gate comes after (its update). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindGate")
    void bindGate(ApiGate g) {
        gate = g;
        if (serving) {
            g.open();
        }
    }

    void unbindGate(ApiGate g) {
        if (gate == g) {
            gate = null;
        }
    }

    @Modified
    void modified(RestConfig config) {
        throttle.limits((int) config.loginAttempts(), (int) config.loginAttemptsPerAddress());
    }

    @Deactivate
    void deactivate() {
        // New requests wait at the gate (for the next REST API, up to [server] hold_seconds); event streams end
        // telling their clients to reconnect; the requests under way finish before the endpoint goes.
        serving = false;
        ApiGate g = gate;
        if (g != null) {
            g.hold();
        }
        streamGauge.unregister();
        streams.closeAll();
        if (g != null) {
            try {
                if (!g.awaitIdle(DRAIN)) {
                    LOG.warn("requests still running after {} s: the REST API stops under them", DRAIN.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.destroy();
        bus.shutdown(true);
    }
}
