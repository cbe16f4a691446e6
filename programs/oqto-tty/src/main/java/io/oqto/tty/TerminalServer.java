package io.oqto.tty;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.Role;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.handshake.ClientHandshake;

/**
 * The terminal program: ttyd's protocol on a Unix socket (mode 0600) with a real pseudo-terminal per WebSocket
 * connection. {@code GET /} answers 200 (the runner's readiness check, as for ttyd), {@code GET /token} answers
 * ttyd's empty token, {@code GET /ws} with {@code Sec-WebSocket-Protocol: tty} is a terminal. With {@code --once} the
 * program exits when its first terminal ends, so that nothing outlives it.
 *
 * <pre>oqto-tty --interface SOCKET [--writable] [--cwd DIR] [--once] [--] COMMAND [ARG…]</pre>
 */
public final class TerminalServer implements AutoCloseable {

    static final int MAX_CONNECTIONS = 16;
    /** A client that sends no whole request head in this time is dropped. */
    static final long HEAD_TIMEOUT_MS = 10_000;

    private final ServerSocketChannel server;
    private final Settings settings;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "oqto-tty-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    TerminalServer(Settings settings) throws IOException {
        this.settings = settings;
        Path socket = settings.socket();
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(socket)) {
            Files.delete(socket); // a stale socket of an earlier run
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (Settings.UsageException e) {
            System.err.println("oqto-tty: " + e.getMessage());
            System.err.println(
                    "usage: oqto-tty --interface SOCKET [--writable] [--cwd DIR] [--once] [--] COMMAND [ARG…]");
            System.exit(64);
            return;
        }
        if (!Files.isDirectory(settings.cwd())) {
            System.err.println("oqto-tty: --cwd " + settings.cwd() + " is not a directory");
            System.exit(66);
            return;
        }
        TerminalServer s = new TerminalServer(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        System.err.println("oqto-tty: " + String.join(" ", settings.command()) + " on " + settings.socket());
        s.serve();
    }

    /** Accepts until closed (or, with {@code --once}, until the first terminal ended). */
    void serve() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                break; // closed
            }
            if (open.size() >= MAX_CONNECTIONS) {
                closeQuietly(c);
                continue;
            }
            open.add(c);
            Thread t = new Thread(() -> handle(c), "oqto-tty-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    private void handle(SocketChannel c) {
        boolean terminalRan = false;
        WebSocketConnection ws = null;
        try {
            ScheduledFuture<?> slow = timer.schedule(() -> closeQuietly(c), HEAD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Http.Head head = Http.readHead(c);
            slow.cancel(false);
            ClientHandshake request;
            try {
                request = (ClientHandshake) Draft.translateHandshakeHttp(head.head(), Role.SERVER);
            } catch (InvalidHandshakeException e) {
                Http.respond(c, 400, "Bad Request", "only GET /, /token and /ws are served: " + e.getMessage() + "\n");
                return;
            }
            String path = request.getResourceDescriptor().replaceAll("\\?.*", "");
            switch (path) {
                case "/" -> Http.respond(c, 200, "OK", "oqto-tty\n");
                case "/token" -> Http.respond(c, 200, "OK", "application/json", "{\"token\":\"\"}");
                case "/ws" -> {
                    ws = WebSocketConnection.accept(c, request, head.rest());
                    if (ws != null) {
                        terminalRan = new TtySession(ws, settings).run();
                    }
                }
                default -> Http.respond(c, 404, "Not Found", "no " + path + "\n");
            }
        } catch (IOException e) {
            System.err.println("oqto-tty: connection ended: " + e);
        } finally {
            if (ws != null) {
                ws.drainAndClose(timer, 2000);
            }
            open.remove(c);
            closeQuietly(c);
            if (terminalRan && settings.once()) {
                close();
                System.exit(0);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (SocketChannel c : open) {
            closeQuietly(c);
        }
        timer.shutdownNow();
        try {
            Files.deleteIfExists(settings.socket());
        } catch (IOException ignored) {
            // leaving: a stale socket is replaced at the next start
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
