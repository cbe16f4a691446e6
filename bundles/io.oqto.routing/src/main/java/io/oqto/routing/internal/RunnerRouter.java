package io.oqto.routing.internal;

import io.oqto.api.metrics.Metrics;
import io.oqto.api.runner.Handover;
import io.oqto.api.runner.PingResult;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerLoad;
import io.oqto.api.runner.RunnerRequest;
import io.oqto.api.runner.RunnerStatus;
import io.oqto.api.runner.RunnerSubscription;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.Subscribed;
import io.oqto.api.runner.history.HistoryState;
import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.UnixAccount;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.Protocol;
import java.lang.annotation.Annotation;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes per-user operations to that user's runner: platform user → Linux account → socket (from the
 * pattern) → a small pool of persistent connections. A runner that does not answer within the timeout
 * is reported as unavailable, never waited on forever.
 */
@Component(
        service = RunnerGateway.class,
        configurationPid = "oqto.routing",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
// REQUIRE: start only once the config bundle has read config.toml (it always publishes every section),
// so a broken file keeps the component down instead of running it on defaults.
@Designate(ocd = RoutingConfig.class)
public final class RunnerRouter implements RunnerGateway {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerRouter.class);
    private static final long SPIN_NANOS = 30_000;
    private final UserDirectory users;
    private final RoutingConfig config;
    private final RunnerPool.Connector connector;
    private final Map<Path, RunnerPool> pools = new ConcurrentHashMap<>();
    /** Set on deactivate: a caller still holding this instance must not open connections nobody closes. */
    private volatile boolean closed;
    /** Optional and dynamic: routing goes on, unmeasured, while the metrics bundle is updated or missing. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile @Nullable Metrics metrics; // package-private: tests measure with their own

    @Activate
    public RunnerRouter(RoutingConfig config, BundleContext context) {
        this(
                config,
                UserDirectory.system(!DeploymentMode.of(context).isMultiUser(), config.linuxUserPrefix()),
                !DeploymentMode.of(context).isMultiUser());
    }

    RunnerRouter(RoutingConfig config, UserDirectory users, boolean singleUser) {
        this.config = config;
        this.users = users;
        RunnerPool.Connector direct = RunnerConnection::open;
        this.connector =
                singleUser && config.autostart() && !config.runnerCommand().isEmpty()
                        ? new RunnerAutostart(direct, config.runnerCommand(), 15_000)
                        : direct;
    }

    /** A router outside OSGi to the current user's runner at {@code socket}, for {@code StandaloneGateway}. */
    public static RunnerRouter standalone(String socket) {
        RoutingConfig config = new StandaloneConfig(socket);
        return new RunnerRouter(config, UserDirectory.system(true, config.linuxUserPrefix()), true);
    }

    /** One runner at a fixed socket, the defaults otherwise, no autostart. */
    private record StandaloneConfig(String socketPattern) implements RoutingConfig {

        @Override
        public String linuxUserPrefix() {
            return "oqto_";
        }

        @Override
        public int poolSize() {
            return 2;
        }

        @Override
        public int requestTimeoutMs() {
            return 5000;
        }

        @Override
        public int connectTimeoutMs() {
            return 2000;
        }

        @Override
        public boolean autostart() {
            return false;
        }

        @Override
        public String runnerCommand() {
            return "";
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return RoutingConfig.class;
        }
    }

    /** Releases every pooled connection; the router opens none afterwards. */
    public void close() {
        deactivate();
    }

    @Deactivate
    void deactivate() {
        closed = true;
        pools.values().forEach(RunnerPool::close);
        pools.clear();
    }

    /**
     * Runs {@code action} against the user's runner. When the runner cannot be reached, the remembered
     * account is checked again: a user deleted meanwhile is an unknown user, not an unavailable runner.
     */
    private <T> T routed(String platformUser, Function<RunnerAddress, T> action) {
        RunnerAddress address = resolve(platformUser);
        try {
            return action.apply(address);
        } catch (RunnerUnavailableException e) {
            if (users.forget(platformUser)) {
                users.accountOf(platformUser);
            }
            throw e;
        }
    }

    @Override
    public RunnerStatus status(String platformUser) {
        return routed(platformUser, address -> {
            Frame f = call(address, Protocol.STATUS);
            return new RunnerStatus(
                    platformUser,
                    f.string("user"),
                    (int) f.number("uid", -1),
                    f.number("pid", -1),
                    f.string("version"),
                    f.string("protocol"),
                    f.string("started_at"),
                    f.number("uptime_ms", -1),
                    address.socket().toString(),
                    f.fields().get("history") instanceof Map<?, ?> h
                            ? new HistoryState(
                                    String.valueOf(h.get("store")),
                                    h.get("waiting") instanceof Number n ? n.intValue() : -1)
                            : null,
                    load(f));
        });
    }

    /** The runner's load figures (protocol 1.10); null from an older runner. */
    private static @Nullable RunnerLoad load(Frame f) {
        if (!(f.fields().get("sessions") instanceof Map<?, ?> sessions)) {
            return null;
        }
        Map<String, Integer> byState = new TreeMap<>();
        sessions.forEach((state, n) -> {
            if (n instanceof Number count) {
                byState.put(String.valueOf(state), count.intValue());
            }
        });
        return new RunnerLoad(
                (int) f.number("connections", 0),
                (int) f.number("subscriptions", 0),
                byState,
                (int) f.number("processes", 0),
                (int) f.number("terminals", 0));
    }

    @Override
    public PingResult ping(String platformUser) {
        return routed(platformUser, address -> {
            long start = System.nanoTime();
            call(address, Protocol.PING);
            return new PingResult(platformUser, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
        });
    }

    @Override
    public <R> R call(String platformUser, RunnerRequest<R> request) {
        return call(platformUser, request, Duration.ofMillis(config.requestTimeoutMs()));
    }

    @Override
    public <R> R call(String platformUser, RunnerRequest<R> request, Duration timeout) {
        Record message = (Record) request;
        Frame reply = routed(
                platformUser,
                address -> call(
                        address,
                        WireRecords.typeOf(message.getClass()),
                        WireRecords.fields(message),
                        timeout.toMillis()));
        return WireRecords.reply(reply, WireRecords.replyType(request));
    }

    @Override
    public RunnerSubscription subscribe(
            String platformUser, RunnerRequest<Subscribed> request, Consumer<RunnerEvent> events) {
        if (closed) {
            throw new RunnerUnavailableException("routing is stopped (its bundle is being updated or stopped)");
        }
        Record message = (Record) request;
        String type = WireRecords.typeOf(message.getClass());
        RunnerConnection connection = routed(platformUser, a -> pool(a).acquire());
        RunnerConnection.OpenSubscription s = connection.subscribe(type, WireRecords.fields(message), frame -> {
            RunnerEvent event;
            try {
                event = WireRecords.event(frame, message.getClass());
            } catch (RunnerErrorException e) {
                LOG.warn("{}'s runner: {}", platformUser, e.getMessage());
                return;
            }
            events.accept(event);
        });
        Frame reply = measured(type, () -> subscribed(platformUser, type, connection, s));
        Subscribed subscribed = WireRecords.reply(reply, Subscribed.class);
        return new RunnerSubscription() {
            @Override
            public Subscribed reply() {
                return subscribed;
            }

            @Override
            public void close() {
                connection.unsubscribe(s);
            }
        };
    }

    /** The runner's answer to a subscribing request; the subscription is ended when there is none. */
    private Frame subscribed(
            String platformUser, String type, RunnerConnection connection, RunnerConnection.OpenSubscription s) {
        try {
            return awaitReply(s.reply());
        } catch (TimeoutException e) {
            connection.unsubscribe(s);
            throw new RunnerUnavailableException("runner of " + platformUser + " did not answer \"" + type
                    + "\" within " + config.requestTimeoutMs() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.unsubscribe(s);
            throw new RunnerUnavailableException("interrupted while waiting for the runner");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new RunnerUnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public <R> Handover<R> handOver(String platformUser, RunnerRequest<R> request) {
        if (closed) {
            throw new RunnerUnavailableException("routing is stopped (its bundle is being updated or stopped)");
        }
        Record message = (Record) request;
        String type = WireRecords.typeOf(message.getClass());
        HandoverExchange.Result result = measured(
                type,
                () -> routed(
                        platformUser,
                        address -> HandoverExchange.exchange(
                                address.socket(),
                                address.account().uid(),
                                (int) config.requestTimeoutMs(),
                                type,
                                WireRecords.fields(message))));
        try {
            return new Handover<>(
                    WireRecords.reply(result.reply(), WireRecords.replyType(request)), result.connection());
        } catch (RuntimeException e) {
            closeQuietly(result.connection());
            throw e;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (java.io.IOException ignored) {
            // already gone
        }
    }

    private RunnerPool pool(RunnerAddress address) {
        return pools.computeIfAbsent(
                address.socket(),
                sock -> new RunnerPool(
                        sock, address.account().uid(), config.poolSize(), config.connectTimeoutMs(), connector));
    }

    @Override
    public boolean connected(String platformUser) {
        RunnerPool pool;
        try {
            pool = pools.get(resolve(platformUser).socket());
        } catch (RuntimeException e) {
            return false; // no such user or account: nothing runs for it
        }
        return pool != null && pool.connected();
    }

    RunnerAddress resolve(String platformUser) {
        UnixAccount account = users.accountOf(platformUser);
        return new RunnerAddress(platformUser, account, RunnerAddress.socketFor(config.socketPattern(), account));
    }

    /**
     * One request/reply on a pooled connection; RunnerErrorException for protocol errors. A pooled
     * connection that turns out dead (the runner restarted since it was opened) is replaced.
     */
    Frame call(RunnerAddress address, String type) {
        return call(address, type, Map.of(), config.requestTimeoutMs());
    }

    Frame call(RunnerAddress address, String type, Map<String, Object> fields, long timeoutMs) {
        return measured(type, () -> pooledCall(address, type, fields, timeoutMs));
    }

    /** Runs one round trip, reporting its type, time and outcome (ok, the runner's error code, unavailable). */
    private <T> T measured(String type, Supplier<T> roundTrip) {
        long start = System.nanoTime();
        String outcome = "unavailable";
        try {
            T result = roundTrip.get();
            outcome = "ok";
            return result;
        } catch (RunnerErrorException e) {
            outcome = e.code().wire();
            throw e;
        } finally {
            Metrics m = metrics;
            if (m != null) {
                m.runnerRoundTrip(type, outcome, System.nanoTime() - start);
            }
        }
    }

    private Frame pooledCall(RunnerAddress address, String type, Map<String, Object> fields, long timeoutMs) {
        if (closed) {
            throw new RunnerUnavailableException("routing is stopped (its bundle is being updated or stopped)");
        }
        RunnerPool pool = pool(address);
        // Every slot may hold a connection to a runner that has since restarted: at most one retry per slot.
        for (int attempt = 0; attempt < config.poolSize(); attempt++) {
            try {
                return callOnce(pool.acquire(), address, type, fields, timeoutMs);
            } catch (StaleConnectionException e) {
                // try the next slot; a dead one reconnects when it comes round again
            }
        }
        try {
            return callOnce(pool.acquire(), address, type, fields, timeoutMs);
        } catch (StaleConnectionException e) {
            throw new RunnerUnavailableException("the connection to the runner of " + address.platformUser()
                    + " keeps breaking (see the control plane log)");
        }
    }

    private Frame callOnce(
            RunnerConnection connection,
            RunnerAddress address,
            String type,
            Map<String, Object> fields,
            long timeoutMs) {
        try {
            return awaitReply(connection.send(type, fields), timeoutMs);
        } catch (TimeoutException e) {
            throw new RunnerUnavailableException("runner of " + address.platformUser() + " did not answer \"" + type
                    + "\" within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerUnavailableException("interrupted while waiting for the runner");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RunnerUnavailableException && !connection.isOpen()) {
                throw new StaleConnectionException();
            }
            throw e.getCause() instanceof RuntimeException r ? r : new RunnerUnavailableException(e.getMessage(), e);
        }
    }

    /**
     * Waits for a reply, spinning for a few microseconds before parking. Most runner replies arrive within
     * that window; a parked thread must be woken by the reader thread, and on a virtual machine an idle
     * vCPU's wake-up alone can cost tens of microseconds (see docs/performance.md).
     */
    private Frame awaitReply(CompletableFuture<Frame> reply)
            throws InterruptedException, ExecutionException, TimeoutException {
        return awaitReply(reply, config.requestTimeoutMs());
    }

    private Frame awaitReply(CompletableFuture<Frame> reply, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (!reply.isDone() && System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        }
        return reply.get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The connection died under the request; the caller retries on a fresh one. */
    private static final class StaleConnectionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StaleConnectionException() {
            super(null, null, false, false);
        }
    }
}
