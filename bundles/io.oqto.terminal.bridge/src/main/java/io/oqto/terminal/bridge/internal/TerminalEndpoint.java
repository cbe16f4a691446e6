package io.oqto.terminal.bridge.internal;

import io.oqto.api.auth.Caller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.websocket.CloseReason;
import javax.websocket.EndpointConfig;
import javax.websocket.OnClose;
import javax.websocket.OnMessage;
import javax.websocket.OnOpen;
import javax.websocket.Session;
import javax.websocket.server.PathParam;
import javax.websocket.server.ServerEndpoint;

/**
 * {@code GET /api/v1/users/{user}/terminals/{id}} upgraded to a WebSocket in ttyd's protocol (subprotocol
 * {@code tty}): the browser sends the size first, then input and resizes; it receives the title, preferences and
 * output. Everything else is the {@link TerminalBridge}'s.
 */
@ServerEndpoint(
        value = "/api/v1/users/{user}/terminals/{id}",
        subprotocols = {"tty"},
        configurator = TerminalHandshake.class)
public final class TerminalEndpoint {

    private static final String REFUSED = "oqto.refused";
    static final long REFUSAL_WAIT_MS = 2000;

    @OnOpen
    public void open(Session session, EndpointConfig config, @PathParam("user") String user, @PathParam("id") String id)
            throws IOException {
        Object refusal = config.getUserProperties().get(TerminalHandshake.REFUSAL);
        TerminalBridge bridge = TerminalBridge.current();
        if (!(config.getUserProperties().get(TerminalHandshake.CALLER) instanceof Caller caller) || bridge == null) {
            refuse(session, refusal == null ? "terminals are not available" : refusal.toString());
            return;
        }
        bridge.attach(caller, user, id, session);
    }

    @OnMessage
    public void binary(Session session, ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        forward(session, b);
    }

    @OnMessage
    public void text(Session session, String data) {
        forward(session, data.getBytes(StandardCharsets.UTF_8));
    }

    private static void forward(Session session, byte[] data) {
        if (session.getUserProperties().get(REFUSED) instanceof String reason) {
            close(session, reason);
            return;
        }
        TerminalBridge bridge = TerminalBridge.current();
        if (bridge != null) {
            bridge.fromBrowser(session, data);
        }
    }

    @OnClose
    public void closed(Session session) {
        TerminalBridge bridge = TerminalBridge.current();
        if (bridge != null) {
            bridge.detach(session);
        }
    }

    /**
     * Refuses a connection that has just opened, with 1008 and the reason. Not at once: Jetty treats a close from
     * within the opening callback as a "fast close" that may drop the connection before the close frame leaves, and
     * the browser then sees 1006 without a reason. A ttyd client sends its size first, and that message is answered
     * with the close; a client that sends nothing is closed after {@link #REFUSAL_WAIT_MS}.
     */
    static void refuse(Session session, String reason) {
        session.getUserProperties().put(REFUSED, reason);
        TerminalBridge bridge = TerminalBridge.current();
        if (bridge == null || !bridge.later(() -> close(session, reason), REFUSAL_WAIT_MS)) {
            close(session, reason);
        }
    }

    static void close(Session session, String reason) {
        try {
            session.close(new CloseReason(
                    CloseReason.CloseCodes.VIOLATED_POLICY, reason.length() > 120 ? reason.substring(0, 120) : reason));
        } catch (IOException ignored) {
            // gone already
        }
    }
}
