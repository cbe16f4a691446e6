package io.oqto.usermgr;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.jspecify.annotations.Nullable;

/**
 * The helper's socket: one request per connection, a line of JSON in, a line of JSON out. Only root and
 * the control plane's user may talk to it, checked on every connection from the kernel's peer
 * credentials (the socket file is also theirs alone, mode 0600).
 */
final class HelperServer implements AutoCloseable {

    static final int MAX_REQUEST = 64 * 1024;
    static final Duration CONNECTION_TIMEOUT = Duration.ofMinutes(2);

    private final Settings settings;
    private final Validation validation;
    private final Handler handler;
    private final PrintStream log;
    private final ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(
            8, 8, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32), r -> new Thread(r, "usermgr request"));
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "usermgr timeouts");
        t.setDaemon(true);
        return t;
    });
    /** Set by {@link #start()}. */
    private @Nullable ServerSocketChannel server;

    private @Nullable Thread acceptor;

    HelperServer(Settings settings, Validation validation, Handler handler, PrintStream log) {
        this.settings = settings;
        this.validation = validation;
        this.handler = handler;
        this.log = log;
    }

    void start() throws IOException {
        Path socket = settings.socket();
        Files.createDirectories(socket.getParent());
        if (Files.exists(socket)) {
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                throw new IOException("another helper is listening on " + socket);
            } catch (IOException stale) {
                Files.delete(socket);
            }
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        Files.setOwner(
                socket,
                socket.getFileSystem()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByName(settings.controlPlaneUser()));
        acceptor = new Thread(this::acceptLoop, "usermgr accept");
        acceptor.start();
    }

    private void acceptLoop() {
        ServerSocketChannel server = this.server;
        if (server == null) {
            return;
        }
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                return;
            }
            try {
                workers.execute(() -> serve(ch));
            } catch (RejectedExecutionException busy) {
                reply(ch, error("busy: too many requests at once, try again"));
                close(ch);
            }
        }
    }

    private void serve(SocketChannel ch) {
        var timeout = timeouts.schedule(() -> close(ch), CONNECTION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        String who = "?";
        try {
            UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            who = peer.user().getName();
            if (!who.equals("root") && !who.equals(settings.controlPlaneUser())) {
                log.println("refused a connection from " + who + ": only root and " + settings.controlPlaneUser()
                        + " may use the helper");
                reply(ch, error("refused: user " + who + " may not use oqto-usermgr"));
                return;
            }
            reply(ch, answer(readRequest(new BufferedInputStream(Channels.newInputStream(ch))), who));
        } catch (IOException e) {
            log.println("connection from " + who + " failed: " + e.getMessage());
            reply(ch, error(String.valueOf(e.getMessage())));
        } finally {
            timeout.cancel(false);
            close(ch);
        }
    }

    /** The response to one request line (null: the caller sent nothing). */
    Map<String, Object> answer(@Nullable String line, String who) {
        if (line == null) {
            return error("empty request: send one line of JSON");
        }
        Command command;
        try {
            Object parsed = json.readValue(line, Object.class);
            if (!(parsed instanceof Map<?, ?> request)) {
                return error("a request is a JSON object {\"cmd\": …, \"args\": {…}}");
            }
            command = Command.parse(request, validation);
        } catch (JsonProcessingException e) {
            return error("not JSON: " + e.getOriginalMessage());
        } catch (Validation.Rejected e) {
            log.println(who + ": rejected: " + e.getMessage());
            return error("rejected: " + e.getMessage());
        }
        try {
            Map<String, Object> data = handler.handle(command);
            log.println(who + ": " + command + ": ok");
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("ok", true);
            ok.put("data", data);
            return ok;
        } catch (Validation.Rejected e) {
            log.println(who + ": " + command + ": rejected: " + e.getMessage());
            return error("rejected: " + e.getMessage());
        } catch (Handler.Failed e) {
            log.println(who + ": " + command + ": failed: " + e.getMessage());
            return error(String.valueOf(e.getMessage()));
        }
    }

    /** One line of at most {@link #MAX_REQUEST} bytes. */
    private static @Nullable String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (line.size() >= MAX_REQUEST) {
                throw new IOException("request longer than " + MAX_REQUEST + " bytes");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    static Map<String, Object> error(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("error", message);
        return m;
    }

    private void reply(SocketChannel ch, Map<String, Object> response) {
        try {
            ByteBuffer out =
                    ByteBuffer.wrap((json.writeValueAsString(response) + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
        } catch (IOException e) {
            log.println("cannot answer: " + e.getMessage());
        }
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
                Files.deleteIfExists(settings.socket());
            }
        } catch (IOException e) {
            log.println("closing " + settings.socket() + ": " + e.getMessage());
        }
        workers.shutdown();
        timeouts.shutdownNow();
    }
}
