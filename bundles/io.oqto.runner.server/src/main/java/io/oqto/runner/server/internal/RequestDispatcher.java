package io.oqto.runner.server.internal;

import io.oqto.runner.protocol.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/** Answers the v1 core requests: {@code hello}, {@code ping}, {@code status}. */
final class RequestDispatcher {

    static final List<String> CAPABILITIES = List.of(Protocol.PING, Protocol.STATUS);

    private final RunnerIdentity identity;
    private final String socket;
    private final IntSupplier openConnections;

    RequestDispatcher(RunnerIdentity identity, String socket, IntSupplier openConnections) {
        this.identity = identity;
        this.socket = socket;
        this.openConnections = openConnections;
    }

    /** Whether {@code type} is served here (hello is handled by the connection itself). */
    boolean serves(String type) {
        return Protocol.PING.equals(type) || Protocol.STATUS.equals(type);
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
            return Frame.error(request.id(), ErrorCode.UNSUPPORTED_VERSION, "client speaks protocol "
                    + (version == null ? "(none given)" : version) + ", this runner speaks " + Protocol.VERSION);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("protocol", Protocol.VERSION);
        f.put("runner_version", identity.version());
        f.put("uid", identity.uid());
        f.put("user", identity.user());
        f.put("pid", identity.pid());
        f.put("capabilities", CAPABILITIES);
        return new Frame(request.id(), Protocol.WELCOME, f);
    }

    Frame handle(Frame request) {
        return switch (request.type()) {
            case Protocol.PING -> Frame.of(request.id(), Protocol.PONG);
            case Protocol.STATUS -> status(request.id());
            default -> Frame.error(request.id(), ErrorCode.UNKNOWN_TYPE, "unknown request type \"" + request.type()
                    + "\" (this runner serves: hello, " + String.join(", ", CAPABILITIES) + ")");
        };
    }

    private Frame status(String id) {
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
        return new Frame(id, Protocol.STATUS, f);
    }
}
