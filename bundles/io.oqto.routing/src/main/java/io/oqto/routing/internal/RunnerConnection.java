package io.oqto.routing.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.SubscriptionEnded;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.FrameCodec;
import io.oqto.runner.protocol.FrameReader;
import io.oqto.runner.protocol.Protocol;
import io.oqto.runner.protocol.ProtocolException;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One persistent connection to a runner. Requests are written under a lock and tagged with an id;
 * a reader thread completes the matching future, so many requests share the connection at once.
 * The peer's uid is checked against the account the runner must run as before anything is sent.
 */
final class RunnerConnection implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerConnection.class);
    private static final int MAX_REPLY_BYTES = 16 << 20;

    private final AFUNIXSocket socket;
    private final OutputStream out;
    private final Map<String, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    /** Event listeners of subscriptions made on this connection, by the id of the subscribing request. */
    private final Map<String, Consumer<Frame>> listeners = new ConcurrentHashMap<>();

    private final AtomicLong ids = new AtomicLong();
    private final Object writeLock = new Object();
    private volatile boolean open = true;

    private RunnerConnection(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /** Connects, checks the peer uid, and does the hello exchange, all within {@code timeoutMs}. */
    static RunnerConnection open(Path path, int expectedUid, int timeoutMs) {
        AFUNIXSocket s = null;
        try {
            s = AFUNIXSocket.newInstance();
            FrameReader reader = connect(s, path, expectedUid, timeoutMs);
            s.setSoTimeout(0);
            RunnerConnection c = new RunnerConnection(s);
            Thread t = new Thread(() -> c.readLoop(reader), "oqto-runner-client " + path.getFileName());
            t.setDaemon(true);
            t.start();
            return c;
        } catch (SocketTimeoutException e) {
            closeQuietly(s);
            throw new RunnerUnavailableException(
                    "runner at " + path + " did not answer hello within " + timeoutMs + " ms", e);
        } catch (IOException e) {
            closeQuietly(s);
            throw new RunnerUnavailableException("cannot connect to runner at " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
    }

    /**
     * Connects to the runner at {@code path}, checks that it runs as the user (or root), and says hello; returns the
     * connected socket's reader. RunnerUnavailableException when any of that fails.
     */
    static FrameReader connect(AFUNIXSocket s, Path path, int expectedUid, int timeoutMs) throws IOException {
        s.connect(AFUNIXSocketAddress.of(path), timeoutMs);
        int peerUid = (int) s.getPeerCredentials().getUid();
        if (peerUid != expectedUid && peerUid != 0) {
            throw new RunnerUnavailableException("socket " + path + " is served by uid " + peerUid
                    + ", not by the user's uid " + expectedUid + "; refusing to talk to it");
        }
        s.setSoTimeout(timeoutMs);
        return greet(s, path);
    }

    /** The hello exchange on a connected socket; returns its reader. */
    private static FrameReader greet(AFUNIXSocket s, Path path) throws IOException {
        FrameReader reader = new FrameReader(s.getInputStream(), MAX_REPLY_BYTES);
        OutputStream o = s.getOutputStream();
        o.write(FrameCodec.encode(Frame.of("hello", Protocol.HELLO)
                .with("protocol", Protocol.VERSION)
                .with("client", "oqto-control-plane")));
        o.flush();
        Frame reply = decode(reader.next());
        if (reply.isError()) {
            throw new RunnerUnavailableException(
                    "runner at " + path + " refused hello: " + reply.string("code") + ": " + reply.string("message"));
        }
        if (!Protocol.WELCOME.equals(reply.type()) || Protocol.majorOf(reply.string("protocol")) != Protocol.MAJOR) {
            throw new RunnerUnavailableException("runner at " + path + " speaks an incompatible protocol: " + reply);
        }
        return reader;
    }

    static Frame decode(FrameReader.@Nullable Line line) throws IOException {
        if (line == null) {
            throw new IOException("runner closed the connection");
        }
        if (!(line instanceof FrameReader.Data d)) {
            throw new IOException("runner sent an oversized frame");
        }
        try {
            return FrameCodec.decodeReply(d.bytes(), d.length());
        } catch (ProtocolException e) {
            throw new IOException("runner sent a malformed frame: " + e.getMessage());
        }
    }

    boolean isOpen() {
        return open;
    }

    /** Sends a request and returns the future reply; error replies complete it exceptionally. */
    CompletableFuture<Frame> send(String type, Map<String, Object> fields) {
        return send(Long.toString(ids.incrementAndGet()), type, fields);
    }

    /**
     * Sends a subscribing request. The listener is in place before the request goes out, since the runner
     * may send the first events before its reply; it is removed again if the reply is an error.
     */
    OpenSubscription subscribe(String type, Map<String, Object> fields, Consumer<Frame> listener) {
        String id = Long.toString(ids.incrementAndGet());
        listeners.put(id, listener);
        CompletableFuture<Frame> reply = send(id, type, fields);
        CompletableFuture<Frame> unused = reply.whenComplete((f, e) -> {
            if (e != null) {
                listeners.remove(id);
            }
        });
        return new OpenSubscription(id, reply);
    }

    record OpenSubscription(String id, CompletableFuture<Frame> reply) {}

    /**
     * Stops delivering a subscription's events and tells the runner to end it (not waiting for its reply): one
     * {@code unsubscribe} for every kind, since the runner's server owns all subscriptions (protocol 1.3).
     */
    void unsubscribe(OpenSubscription s) {
        if (listeners.remove(s.id()) != null && open) {
            CompletableFuture<Frame> unused = send(Protocol.UNSUBSCRIBE, Map.of("subscription", s.id())); // not awaited
        }
    }

    private CompletableFuture<Frame> send(String id, String type, Map<String, Object> fields) {
        CompletableFuture<Frame> reply = new CompletableFuture<>();
        pending.put(id, reply);
        CompletableFuture<Frame> unused = reply.whenComplete((f, e) -> pending.remove(id));
        byte[] bytes = FrameCodec.encode(new Frame(id, type, fields));
        try {
            synchronized (writeLock) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            close();
            reply.completeExceptionally(
                    new RunnerUnavailableException("runner connection broke: " + e.getMessage(), e));
        }
        return reply;
    }

    private void readLoop(FrameReader reader) {
        try {
            while (open) {
                Frame f = decode(reader.next());
                if (f.id() == null && f.fields().get("subscription") instanceof String sid) {
                    deliver(sid, f);
                    continue;
                }
                CompletableFuture<Frame> waiting = f.id() == null ? null : pending.get(f.id());
                if (waiting == null) {
                    LOG.warn("runner sent a frame nobody waits for: {}", f);
                } else if (f.isError()) {
                    waiting.completeExceptionally(errorOf(f));
                } else {
                    waiting.complete(f);
                }
            }
        } catch (IOException e) {
            if (open) {
                LOG.warn("runner connection closed: {}", e.getMessage());
            }
        } finally {
            close();
        }
    }

    /** An error frame as the exception above the wire: a code we do not know is the runner's bug. */
    static RunnerErrorException errorOf(Frame error) {
        String code = error.string("code");
        return ErrorCode.fromWire(code)
                .map(c -> new RunnerErrorException(c, String.valueOf(error.string("message"))))
                .orElseGet(() -> new RunnerErrorException(
                        ErrorCode.INTERNAL, "unknown error code " + code + ": " + error.string("message")));
    }

    private void deliver(String subscription, Frame event) {
        Consumer<Frame> listener = listeners.get(subscription);
        if (listener == null) {
            return; // unsubscribed meanwhile
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("subscription {} listener failed: {}", subscription, e.toString());
        }
        if ("subscription_ended".equals(event.type())) {
            listeners.remove(subscription);
        }
    }

    @Override
    public void close() {
        open = false;
        closeQuietly(socket);
        RunnerUnavailableException gone = new RunnerUnavailableException("runner connection closed");
        pending.values().forEach(f -> f.completeExceptionally(gone));
        for (String id : List.copyOf(listeners.keySet())) {
            deliver(
                    id,
                    new Frame(
                            null,
                            "subscription_ended",
                            Map.of("subscription", id, "reason", SubscriptionEnded.CONNECTION_LOST)));
        }
    }

    private static void closeQuietly(@Nullable AFUNIXSocket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
