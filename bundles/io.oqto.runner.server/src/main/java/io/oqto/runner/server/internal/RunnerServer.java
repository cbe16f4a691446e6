package io.oqto.runner.server.internal;

import io.oqto.api.unix.UnixAccount;
import io.oqto.api.unix.UnixAccounts;
import io.oqto.runner.protocol.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.FrameCodec;
import io.oqto.runner.protocol.RunnerOperation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionSeq = new AtomicInteger();
    private final Thread acceptor;
    private final SystemdNotifier notifier;

    @Activate
    public RunnerServer(RunnerConfig config, BundleContext context) throws IOException {
        this(config, System.getenv(), context.getBundle().getVersion().toString(),
                !"false".equals(context.getProperty("oqto.runner.exitOnSocketFailure")));
    }

    RunnerServer(RunnerConfig config, Map<String, String> env, String version, boolean exitOnFailure) throws IOException {
        this(config, env, version, exitOnFailure, null);
    }

    /** {@code policy} null means the real one: own uid, root and the configured control-plane user. */
    RunnerServer(RunnerConfig config, Map<String, String> env, String version, boolean exitOnFailure,
            PeerPolicy policy) throws IOException {
        int uid = UnixAccounts.currentUid();
        Path path = SocketLocation.resolve(config.socket(), env, uid);
        this.socketFile = new SocketFile(path);
        this.policy = policy != null ? policy : PeerPolicy.of(uid, controlPlaneUid(config.controlPlaneUser()));
        this.maxFrameBytes = config.maxFrameBytes();
        this.maxConnections = config.maxConnections();
        this.inFlight = new Semaphore(config.maxInFlight());
        this.dispatcher = new RequestDispatcher(RunnerIdentity.current(version, uid), path.toString(), connections::size);
        this.workers = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> new Thread(r, "oqto-runner-worker"));
        workers.allowCoreThreadTimeOut(true);
        try {
            socketFile.prepare();
            server = AFUNIXServerSocket.newInstance();
            server.bind(AFUNIXSocketAddress.of(socketFile.path()));
            socketFile.secure(config.controlPlaneUser());
        } catch (IOException | RuntimeException e) {
            workers.shutdownNow();
            LOG.error("runner cannot listen on {}: {}", path, e.getMessage());
            if (exitOnFailure) {
                System.err.println("oqto-runner: cannot listen on " + path + ": " + e.getMessage());
                new Thread(() -> System.exit(EXIT_SOCKET), "oqto-runner-exit").start();
            }
            throw e;
        }
        acceptor = new Thread(this::acceptLoop, "oqto-runner-accept");
        acceptor.start();
        notifier = new SystemdNotifier(env.get("NOTIFY_SOCKET"));
        notifyQuietly("READY=1\nSTATUS=listening on " + path + "\nMAINPID=" + ProcessHandle.current().pid());
        LOG.info("runner listening on {} (serving uids {})", path, this.policy.allowedUids());
    }

    private static Integer controlPlaneUid(String user) {
        if (user == null || user.isEmpty()) {
            return null;
        }
        return UnixAccounts.byName(user).map(UnixAccount::uid).orElseThrow(() ->
                new IllegalStateException("[runner] control_plane_user \"" + user + "\" does not exist"));
    }

    /** Request types contributed by other bundles (files, processes, …): the whiteboard. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addOperation(RunnerOperation operation) {
        dispatcher.add(operation);
    }

    void removeOperation(RunnerOperation operation) {
        dispatcher.remove(operation);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            AFUNIXSocket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("accept failed: {}", e.toString());
                }
                continue;
            }
            admit(s);
        }
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
            LOG.warn("refused connection from uid {} (pid {}): not the runner's user, root or the control plane", uid, pid);
            refuse(s, ErrorCode.UNAUTHORIZED, "uid " + uid + " may not use this runner");
            return;
        }
        if (connections.size() >= maxConnections) {
            LOG.warn("refused connection from uid {}: {} connections open", uid, connections.size());
            refuse(s, ErrorCode.BUSY, "too many connections");
            return;
        }
        ClientConnection[] holder = new ClientConnection[1];
        holder[0] = new ClientConnection(s, uid, maxFrameBytes, dispatcher, workers, inFlight,
                () -> connections.remove(holder[0]));
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
        notifyQuietly("STOPPING=1");
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing server socket: {}", e.toString());
        }
        connections.forEach(ClientConnection::close);
        workers.shutdownNow();
        try {
            acceptor.join(2000);
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
