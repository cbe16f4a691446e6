package io.oqto.runner.server.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.api.unix.UnixAccount;
import io.oqto.api.unix.UnixAccounts;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.FrameCodec;
import io.oqto.runner.spi.RunnerOperation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
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
 * The runner's listening socket. Binds {@code $XDG_RUNTIME_DIR/oqto-runner.sock} (or the configured
 * path), serves only peers allowed by {@link PeerPolicy}, tells systemd it is ready, and on deactivate
 * closes every connection and thread and removes its socket file.
 *
 * <p>The socket is taken at once (a second runner fails early), but connections are accepted — and
 * systemd told READY — only when the request types named by the framework property
 * {@code oqto.runner.awaitOperations} are served: the other bundles register theirs a moment after this
 * one starts, and a client that got in first was told "unknown request type list_processes" by a runner
 * that had answered its hello. After {@link #AWAIT_LIMIT_MS} it serves anyway and logs what is missing.
 */
@Component(immediate = true, configurationPid = "oqto.runner", configurationPolicy = ConfigurationPolicy.REQUIRE)
// REQUIRE: start only once the config bundle has read config.toml (it always publishes every section),
// so a broken file keeps the component down instead of running it on defaults.
@Designate(ocd = RunnerConfig.class)
public final class RunnerServer {

    /** Exit code when the runner cannot take its socket (sysexits.h EX_UNAVAILABLE). */
    static final int EXIT_SOCKET = 69;

    private static final Logger LOG = LoggerFactory.getLogger(RunnerServer.class);

    private final SocketFile socketFile;
    private final AFUNIXServerSocket server;
    private final PeerPolicy policy;
    private final RequestDispatcher dispatcher;
    private final ThreadPoolExecutor workers;
    private final Semaphore inFlight;
    private final int maxFrameBytes;
    private final int maxConnections;
    private final int maxInFlight;
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionSeq = new AtomicInteger();
    private final Thread acceptor;
    private final SystemdNotifier notifier;
    static final long AWAIT_LIMIT_MS = 30_000;
    private final Set<String> awaited;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean closing;
    /** Not null when the socket was handed over (socket activation): then the runner may exit when idle. */
    private final @Nullable InheritedSocket inherited;

    private final IdleExit idle;

    @Activate
    public RunnerServer(RunnerConfig config, BundleContext context) throws IOException {
        this(
                config,
                System.getenv(),
                context.getBundle().getVersion().toString(),
                !"false".equals(context.getProperty("oqto.runner.exitOnSocketFailure")),
                null,
                awaitedTypes(context.getProperty("oqto.runner.awaitOperations")),
                () -> stopFramework(context));
    }

    /** The whole runner ends (Karaf's main returns, the JVM exits 0): what an idle exit means. */
    private static void stopFramework(BundleContext context) {
        new Thread(
                        () -> {
                            try {
                                context.getBundle(0).stop();
                            } catch (Exception e) {
                                LOG.error("idle exit: the framework would not stop ({}); exiting", e.toString());
                                System.exit(0);
                            }
                        },
                        "oqto-runner-idle-exit")
                .start();
    }

    RunnerServer(RunnerConfig config, Map<String, String> env, String version, boolean exitOnFailure)
            throws IOException {
        this(config, env, version, exitOnFailure, null, Set.of(), () -> {});
    }

    static Set<String> awaitedTypes(@Nullable String property) {
        if (property == null || property.isBlank()) {
            return Set.of();
        }
        return Set.of(property.trim().split("\\s*,\\s*"));
    }

    /**
     * {@code policy} null means the real one: own uid, root and the configured control-plane user;
     * {@code awaited}: request types that must be served before connections are accepted.
     */
    RunnerServer(
            RunnerConfig config,
            Map<String, String> env,
            String version,
            boolean exitOnFailure,
            @Nullable PeerPolicy policy,
            Set<String> awaited,
            Runnable exit)
            throws IOException {
        this.awaited = awaited;
        int uid = UnixAccounts.currentUid();
        Path path = SocketLocation.resolve(config.socket(), env, uid);
        this.socketFile = new SocketFile(path);
        this.policy = policy != null ? policy : PeerPolicy.of(uid, controlPlaneUid(config.controlPlaneUser()));
        this.maxFrameBytes = config.maxFrameBytes();
        this.maxConnections = config.maxConnections();
        this.maxInFlight = config.maxInFlight();
        this.inFlight = new Semaphore(maxInFlight);
        this.dispatcher =
                new RequestDispatcher(RunnerIdentity.current(version, uid), path.toString(), connections::size);
        this.idle = new IdleExit(config.idleExitSeconds(), exit);
        dispatcher.onActivity(idle::touch);
        this.workers = new ThreadPoolExecutor(
                4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "oqto-runner-worker"));
        workers.allowCoreThreadTimeOut(true);
        try {
            inherited = InheritedSocket.take(env, ProcessHandle.current().pid());
            if (inherited != null) {
                // The holder's socket: never deleted or shut down from here (closing would do both).
                server = inherited.server();
                server.setDeleteOnClose(false);
            } else {
                socketFile.prepare();
                server = AFUNIXServerSocket.newInstance();
                server.bind(AFUNIXSocketAddress.of(socketFile.path()));
                socketFile.secure(config.controlPlaneUser());
            }
            // accept() returns every second so the acceptor can tell whether the runner has become idle.
            server.setSoTimeout(IdleExit.CHECK_MS);
        } catch (IOException | RuntimeException e) {
            workers.shutdownNow();
            LOG.error("runner cannot listen on {}: {}", path, e.getMessage());
            if (exitOnFailure) {
                System.err.println("oqto-runner: cannot listen on " + path + ": " + e.getMessage());
                new Thread(() -> System.exit(EXIT_SOCKET), "oqto-runner-exit").start();
            }
            throw e;
        }
        notifier = new SystemdNotifier(env.get("NOTIFY_SOCKET"));
        checkReady();
        // Decided once, here: whether it is ready now (announce at once) or the acceptor must wait and then
        // announce. Deciding again on the acceptor thread raced with operations arriving meanwhile: the
        // runner then served without ever telling systemd or its log that it was ready.
        boolean readyNow = ready.getCount() == 0;
        if (readyNow) {
            announce();
        }
        acceptor = new Thread(
                readyNow
                        ? this::acceptLoop
                        : () -> {
                            if (awaitReady()) {
                                acceptLoop();
                            }
                        },
                "oqto-runner-accept");
        acceptor.start();
    }

    /** READY=1 to systemd and the log line supervisors and tests wait for. */
    private void announce() {
        if (inherited != null) {
            LOG.info(
                    "socket-activated: took the listening socket over from {}, with {} connection(s) waiting; exits after {} s idle",
                    inherited.from(),
                    inherited.waiting().size(),
                    idle.seconds());
            inherited.waiting().forEach(this::admit);
        }
        notifyQuietly("READY=1\nSTATUS=listening on " + socketFile.path() + "\nMAINPID="
                + ProcessHandle.current().pid());
        LOG.info("runner listening on {} (serving uids {})", socketFile.path(), policy.allowedUids());
    }

    private synchronized void checkReady() {
        if (ready.getCount() > 0 && awaited.stream().allMatch(dispatcher::serves)) {
            ready.countDown();
        }
    }

    /** Waits until the awaited request types are served (bounded); false when the server is closing. */
    private boolean awaitReady() {
        try {
            if (!ready.await(AWAIT_LIMIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.error(
                        "serving without {}: their bundles did not register them within {} ms",
                        awaited.stream()
                                .filter(t -> !dispatcher.serves(t))
                                .sorted()
                                .toList(),
                        AWAIT_LIMIT_MS);
            }
        } catch (InterruptedException e) {
            return false;
        }
        if (closing) {
            return false;
        }
        announce();
        return true;
    }

    private static @Nullable Integer controlPlaneUid(String user) {
        if (user == null || user.isEmpty()) {
            return null;
        }
        return UnixAccounts.byName(user)
                .map(UnixAccount::uid)
                .orElseThrow(
                        () -> new IllegalStateException("[runner] control_plane_user \"" + user + "\" does not exist"));
    }

    /** Request types contributed by other bundles (files, processes, …): the whiteboard. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addOperation(RunnerOperation operation) {
        dispatcher.add(operation);
        checkReady();
    }

    void removeOperation(RunnerOperation operation) {
        dispatcher.remove(operation);
    }

    private void acceptLoop() {
        while (!closing && !server.isClosed()) {
            AFUNIXSocket s;
            try {
                s = server.accept();
            } catch (java.net.SocketTimeoutException e) {
                InheritedSocket from = inherited;
                if (from != null && idle.due(this::keepsRunning)) {
                    exitIdle(from);
                    return;
                }
                continue;
            } catch (IOException e) {
                if (inherited != null) {
                    // The holder shut its socket down (the user's services are being stopped): nothing more
                    // will come, and the holder ends this runner next.
                    LOG.info(
                            "the socket from {} no longer accepts ({}); serving the open connections only",
                            inherited.from(),
                            e.toString());
                    return;
                }
                if (!closing && !server.isClosed()) {
                    LOG.warn("accept failed: {}", e.toString());
                }
                continue;
            }
            if (s == null) {
                continue;
            }
            idle.touch();
            admit(s);
        }
    }

    /**
     * Why the runner must keep running now; empty when it is idle. Connections do not count (the control plane keeps
     * idle ones pooled), requests being served, subscriptions and whatever the operations name do.
     */
    List<String> keepsRunning() {
        List<String> reasons = new ArrayList<>();
        int serving = maxInFlight - inFlight.availablePermits();
        if (serving > 0) {
            reasons.add(serving + " requests being served");
        }
        if (dispatcher.subscriptions().size() > 0) {
            reasons.add(dispatcher.subscriptions().size() + " subscriptions");
        }
        reasons.addAll(dispatcher.keepsRunning());
        return reasons;
    }

    /**
     * Idle: the runner ends, the holder keeps the socket, and the next connection starts a runner again. Called on the
     * acceptor, the only thread that accepts, so no connection is half taken in; the pooled ones are closed, and the
     * control plane connects anew (and so starts a runner) for its next request.
     */
    private void exitIdle(InheritedSocket from) {
        LOG.info("idle for {} s with nothing running: exiting (the socket stays with {})", idle.seconds(), from.from());
        closing = true;
        connections.forEach(ClientConnection::close);
        idle.exit();
    }

    private void admit(AFUNIXSocket s) {
        int uid;
        long pid;
        try {
            AFUNIXSocketCredentials cred = s.getPeerCredentials();
            uid = (int) cred.getUid();
            pid = cred.getPid();
        } catch (IOException e) {
            refuse(s, ErrorCode.UNAUTHORIZED, "peer credentials unavailable");
            return;
        }
        if (!policy.allows(uid)) {
            LOG.warn(
                    "refused connection from uid {} (pid {}): not the runner's user, root or the control plane",
                    uid,
                    pid);
            refuse(s, ErrorCode.UNAUTHORIZED, "uid " + uid + " may not use this runner");
            return;
        }
        if (connections.size() >= maxConnections) {
            LOG.warn("refused connection from uid {}: {} connections open", uid, connections.size());
            refuse(s, ErrorCode.BUSY, "too many connections");
            return;
        }
        ClientConnection[] holder = new ClientConnection[1];
        holder[0] = new ClientConnection(
                s, uid, maxFrameBytes, dispatcher, workers, inFlight, () -> connections.remove(holder[0]));
        connections.add(holder[0]);
        Thread t = new Thread(holder[0], "oqto-runner-conn-" + connectionSeq.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    private static void refuse(AFUNIXSocket s, ErrorCode code, String message) {
        try (s) {
            s.getOutputStream().write(FrameCodec.encode(Frame.error(null, code, message)));
        } catch (IOException e) {
            // the peer went away first
        }
    }

    @Deactivate
    void deactivate() {
        closing = true;
        acceptor.interrupt();
        notifyQuietly("STOPPING=1");
        if (inherited == null) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.debug("closing server socket: {}", e.toString());
            }
        }
        // A socket taken over stays open: closing would shut it down for its holder too. The acceptor sees
        // `closing` within a second, and the descriptor goes with the process.
        dispatcher.subscriptions().closeAll();
        connections.forEach(ClientConnection::close);
        workers.shutdownNow();
        try {
            acceptor.join(2000 + IdleExit.CHECK_MS);
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socketFile.remove();
        LOG.info("runner stopped listening on {}", socketFile.path());
    }

    private void notifyQuietly(String state) {
        try {
            notifier.send(state);
        } catch (IOException e) {
            LOG.warn("cannot notify systemd at {}: {}", System.getenv("NOTIFY_SOCKET"), e.toString());
        }
    }
}
