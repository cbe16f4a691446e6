package io.oqto.terminal.bridge.internal;

import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.Caller;
import java.net.URI;
import java.util.List;
import java.util.Map;
import javax.websocket.HandshakeResponse;
import javax.websocket.server.HandshakeRequest;
import javax.websocket.server.ServerEndpointConfig;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates a terminal's WebSocket upgrade by the same rules as every REST route: {@code Authorization: Bearer}
 * for programs, the session cookie for browsers — a cookie only with an {@code Origin} of this server, since a page
 * of any other site could open a WebSocket with it. The result (the caller, or why not) goes into the connection's
 * user properties; the endpoint closes an unauthenticated connection at once with 1008 and the reason.
 */
public final class TerminalHandshake extends ServerEndpointConfig.Configurator {

    static final String CALLER = "oqto.caller";
    static final String REFUSAL = "oqto.refusal";

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        TerminalBridge bridge = TerminalBridge.current();
        Map<String, Object> props = config.getUserProperties();
        if (bridge == null) {
            props.put(REFUSAL, "terminals are not available (the bridge is being updated)");
            return;
        }
        String bearer = header(request, "Authorization");
        if (bearer != null) {
            String token = bearer.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? bearer.substring(7).trim()
                    : "";
            Caller caller = bridge.tokens().authenticate(token).orElse(null);
            put(
                    props,
                    caller,
                    bridge.tokens().isExpired(token)
                            ? "token_expired: the bearer token has expired: make a new one"
                            : "invalid_token: the bearer token is unknown or malformed");
            return;
        }
        String cookie = cookie(header(request, "Cookie"));
        if (cookie == null) {
            props.put(REFUSAL, "unauthenticated: send Authorization: Bearer <token>, or sign in first");
            return;
        }
        if (!sameOrigin(header(request, "Origin"), header(request, "Host"))) {
            props.put(REFUSAL, "csrf_refused: a WebSocket from another site is refused");
            return;
        }
        Caller caller = bridge.sessions().find(cookie).map(s -> s.caller()).orElse(null);
        put(props, caller, "session_expired: the sign-in has ended or expired: sign in again");
    }

    // The rest of the configurator is spelled out: its defaults look the container's up with a ServiceLoader, which
    // does not find Jetty's from inside a bundle.

    @Override
    public <T> T getEndpointInstance(Class<T> endpoint) throws InstantiationException {
        try {
            return endpoint.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new InstantiationException(e.toString());
        }
    }

    /** Every origin here; {@link #modifyHandshake} refuses another site's for cookie connections. */
    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return true;
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return requested.stream().filter(supported::contains).findFirst().orElse("");
    }

    @Override
    public List<javax.websocket.Extension> getNegotiatedExtensions(
            List<javax.websocket.Extension> installed, List<javax.websocket.Extension> requested) {
        return List.of();
    }

    private static void put(Map<String, Object> props, @Nullable Caller caller, String refusal) {
        if (caller == null) {
            props.put(REFUSAL, refusal);
        } else {
            props.put(CALLER, caller);
        }
    }

    private static @Nullable String header(HandshakeRequest request, String name) {
        for (Map.Entry<String, List<String>> e : request.getHeaders().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    static @Nullable String cookie(@Nullable String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";", -1)) {
            String p = part.strip();
            if (p.startsWith(BrowserSessions.COOKIE + "=")) {
                return p.substring(BrowserSessions.COOKIE.length() + 1);
            }
        }
        return null;
    }

    /** A browser always sends Origin on a WebSocket; it must name this server. */
    static boolean sameOrigin(@Nullable String origin, @Nullable String host) {
        if (origin == null || host == null) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            String authority = o.getPort() == -1 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
