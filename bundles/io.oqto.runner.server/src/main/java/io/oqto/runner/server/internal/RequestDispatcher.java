package io.oqto.runner.server.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.Protocol;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.HandoverOperation;
import io.oqto.runner.spi.RunnerOperation;
import io.oqto.runner.spi.StreamingOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Answers the core requests ({@code hello}, {@code ping}, {@code status}, {@code unsubscribe}) and hands every
 * other type to the {@link RunnerOperation} service registered for it; a subscribing request of a
 * {@link StreamingOperation} opens a subscription in the one registry, {@link Subscriptions}.
 */
final class RequestDispatcher {

    /** {@code unsubscribe_session} is the name protocol 1.2 gave ending an agent session's subscription. */
    static final List<String> CORE =
            List.of(Protocol.PING, Protocol.STATUS, Protocol.UNSUBSCRIBE, "unsubscribe_session");

    private final RunnerIdentity identity;
    private final String socket;
    private final IntSupplier openConnections;
    private final Map<String, RunnerOperation> operations = new ConcurrentHashMap<>();
    private final Subscriptions subscriptions = new Subscriptions();
    private volatile Runnable onActivity = () -> {};

    RequestDispatcher(RunnerIdentity identity, String socket, IntSupplier openConnections) {
        this.identity = identity;
        this.socket = socket;
        this.openConnections = openConnections;
    }

    /** Told of every frame a client sends: the idle exit counts from the last one. */
    void onActivity(Runnable r) {
        onActivity = r;
    }

    void activity() {
        onActivity.run();
    }

    /** What the operations say keeps the runner running ({@link RunnerOperation#keepsRunning}). */
    List<String> keepsRunning() {
        List<String> reasons = new ArrayList<>();
        for (RunnerOperation op : new java.util.LinkedHashSet<>(operations.values())) {
            reasons.addAll(op.keepsRunning());
        }
        return reasons;
    }

    void add(RunnerOperation operation) {
        operation.types().forEach(t -> operations.put(t, operation));
    }

    /** The operation's types answer {@code unknown_type} from now on, and its subscriptions end. */
    void remove(RunnerOperation operation) {
        operation.types().forEach(t -> operations.remove(t, operation));
        if (operation instanceof StreamingOperation s) {
            subscriptions.operationGone(s);
        }
    }

    Subscriptions subscriptions() {
        return subscriptions;
    }

    /** Whether {@code type} is served here (hello is handled by the connection itself). */
    boolean serves(String type) {
        return CORE.contains(type) || operations.containsKey(type);
    }

    /** Everything served besides hello, sorted: core types first. */
    List<String> capabilities() {
        List<String> all = new ArrayList<>(CORE);
        all.addAll(new TreeSet<>(operations.keySet()));
        return all;
    }

    /**
     * Requests that never block and take microseconds, answered on the connection's own thread. Only
     * {@code ping}: it is the latency probe, and everything else goes through the worker pool so a slow
     * request never holds up the connection.
     */
    boolean isInstant(String type) {
        return Protocol.PING.equals(type);
    }

    /** The reply to a hello, or an unsupported_version error. */
    Frame hello(Frame request) {
        String version = request.string("protocol");
        if (Protocol.majorOf(version) != Protocol.MAJOR) {
            return Frame.error(
                    request.id(),
                    ErrorCode.UNSUPPORTED_VERSION,
                    "client speaks protocol " + (version == null ? "(none given)" : version) + ", this runner speaks "
                            + Protocol.VERSION);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("protocol", Protocol.VERSION);
        f.put("runner_version", identity.version());
        f.put("uid", identity.uid());
        f.put("user", identity.user());
        f.put("pid", identity.pid());
        f.put("capabilities", capabilities());
        return new Frame(request.id(), Protocol.WELCOME, f);
    }

    /** Handles a request that came on {@code connection} (null for the instant ones, which open nothing). */
    Frame handle(Frame request, @Nullable ClientConnection connection) {
        try {
            return switch (request.type()) {
                case Protocol.PING -> Frame.of(request.id(), Protocol.PONG);
                case Protocol.STATUS -> status(request.id());
                case Protocol.UNSUBSCRIBE, "unsubscribe_session" ->
                    subscriptions.unsubscribe(request, connected(request, connection));
                default -> operation(request, connection);
            };
        } catch (ProtocolException e) {
            return Frame.error(request.id(), e.code(), e.getMessage());
        }
    }

    /** A request type a bundle serves: answered by its operation, or a subscription opened with its feed. */
    private Frame operation(Frame request, @Nullable ClientConnection connection) throws ProtocolException {
        RunnerOperation op = operations.get(request.type());
        if (op == null) {
            return Frame.error(
                    request.id(),
                    ErrorCode.UNKNOWN_TYPE,
                    "unknown request type \"" + request.type() + "\" (this runner serves: hello, "
                            + String.join(", ", capabilities()) + ")");
        }
        return op instanceof StreamingOperation s && s.subscribingTypes().contains(request.type())
                ? subscriptions.open(request, connected(request, connection), s)
                : op.handle(request);
    }

    /** Whether {@code type} is answered with a handover (a descriptor beside the reply). */
    boolean handsOver(String type) {
        return operations.get(type) instanceof HandoverOperation h
                && h.handoverTypes().contains(type);
    }

    /** The handover for a request {@link #handsOver} said yes to; an error frame, with nothing handed over, else. */
    Object handover(Frame request) {
        if (!(operations.get(request.type()) instanceof HandoverOperation h)) {
            return Frame.error(request.id(), ErrorCode.UNKNOWN_TYPE, "\"" + request.type() + "\" is no longer served");
        }
        try {
            return h.handover(request);
        } catch (ProtocolException e) {
            return Frame.error(request.id(), e.code(), e.getMessage());
        }
    }

    /** Subscriptions belong to a connection: the requests about them never come without one. */
    private static ClientConnection connected(Frame request, @Nullable ClientConnection connection)
            throws ProtocolException {
        if (connection == null) {
            throw new ProtocolException(
                    ErrorCode.INTERNAL, request.type() + " came without its connection", request.id());
        }
        return connection;
    }

    private Frame status(@Nullable String id) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("version", identity.version());
        f.put("protocol", Protocol.VERSION);
        f.put("pid", identity.pid());
        f.put("uid", identity.uid());
        f.put("user", identity.user());
        f.put("started_at", identity.startedAt().toString());
        f.put("uptime_ms", Duration.between(identity.startedAt(), Instant.now()).toMillis());
        f.put("socket", socket);
        f.put("connections", openConnections.getAsInt());
        f.put("subscriptions", subscriptions.size());
        for (RunnerOperation op : new java.util.LinkedHashSet<>(operations.values())) {
            op.status().forEach(f::putIfAbsent); // the core fields above are not an operation's to change
        }
        return new Frame(id, Protocol.STATUS, f);
    }
}
