package io.oqto.routing.internal;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted runner on a real Unix socket: answers hello/ping/status like a v1 runner, or misbehaves
 * as told (silence, wrong protocol), so the client's handling of each case can be asserted.
 */
final class FakeRunner implements Closeable {

    enum Behaviour {
        NORMAL,
        SILENT,
        SILENT_AFTER_HELLO,
        PROTOCOL_2
    }

    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern TYPE = Pattern.compile("\"type\":\"([^\"]+)\"");

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    /** The type of every request received, in order. */
    final BlockingQueue<String> types = new LinkedBlockingQueue<>();

    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final ServerSocketChannel server;
    private final Path path;
    private final Behaviour behaviour;
    private final Thread acceptor;

    FakeRunner(Path path, Behaviour behaviour) throws IOException {
        this.path = path;
        this.behaviour = behaviour;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        acceptor = new Thread(this::accept, "fake-runner");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                open.add(c);
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(c), "fake-runner-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(c);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                requests.incrementAndGet();
                String id = group(ID, line);
                String type = group(TYPE, line);
                types.add(type);
                String reply = reply(id, type);
                if (reply != null) {
                    out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // client went away, or we were closed
        }
    }

    private String reply(String id, String type) {
        if (behaviour == Behaviour.SILENT || (behaviour == Behaviour.SILENT_AFTER_HELLO && !"hello".equals(type))) {
            return null;
        }
        return switch (type) {
            case "hello" ->
                "{\"id\":\"" + id + "\",\"type\":\"welcome\",\"protocol\":\""
                        + (behaviour == Behaviour.PROTOCOL_2 ? "2.0" : "1.0") + "\",\"uid\":0}";
            case "ping" -> "{\"id\":\"" + id + "\",\"type\":\"pong\"}";
            case "subscribe_session", "subscribe_output" ->
                "{\"id\":\"" + id + "\",\"type\":\"subscribed\",\"subscription\":\"" + id + "\"}";
            case "unsubscribe_session", "unsubscribe" -> "{\"id\":\"" + id + "\",\"type\":\"unsubscribed\"}";
            case "status" ->
                "{\"id\":\"" + id + "\",\"type\":\"status\",\"version\":\"9.9\",\"protocol\":\"1.0\",\"pid\":4321,"
                        + "\"uid\":1000,\"user\":\"alice\",\"started_at\":\"2026-01-01T00:00:00Z\",\"uptime_ms\":1234,"
                        + "\"history\":{\"store\":\"embedded\",\"waiting\":3},\"connections\":2,"
                        + "\"subscriptions\":1,\"sessions\":{\"idle\":2,\"streaming\":1},\"processes\":4,"
                        + "\"terminals\":1}";
            default -> "{\"id\":\"" + id + "\",\"type\":\"error\",\"code\":\"unknown_type\",\"message\":\"nope\"}";
        };
    }

    private static String group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public void close() throws IOException {
        // Like a process exit: the listener and every accepted connection go away.
        server.close();
        for (SocketChannel c : open) {
            c.close();
        }
        Files.deleteIfExists(path);
    }
}
