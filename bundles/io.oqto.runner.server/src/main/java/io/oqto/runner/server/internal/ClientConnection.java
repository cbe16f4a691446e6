package io.oqto.runner.server.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.FrameCodec;
import io.oqto.runner.protocol.FrameReader;
import io.oqto.runner.protocol.Protocol;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.HandoverOperation;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads frames on its own thread and hands requests to the shared executor, so
 * many requests can be in flight and replies may come back out of order (the id correlates them).
 * Bad input gets an error frame and the connection carries on; only a broken socket ends it.
 */
final class ClientConnection implements Runnable, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private final Socket socket;
    private final int peerUid;
    private final int maxFrameBytes;
    private final RequestDispatcher dispatcher;
    private final Executor executor;
    private final Semaphore inFlight;
    private final Runnable onClose;
    private final Object writeLock = new Object();
    /** Set when the connection's thread starts; nothing is written before. */
    private @Nullable OutputStream out;

    private boolean greeted;
    private volatile boolean open = true;

    ClientConnection(
            Socket socket,
            int peerUid,
            int maxFrameBytes,
            RequestDispatcher dispatcher,
            Executor executor,
            Semaphore inFlight,
            Runnable onClose) {
        this.socket = socket;
        this.peerUid = peerUid;
        this.maxFrameBytes = maxFrameBytes;
        this.dispatcher = dispatcher;
        this.executor = executor;
        this.inFlight = inFlight;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        try {
            out = socket.getOutputStream();
            FrameReader reader = new FrameReader(socket.getInputStream(), maxFrameBytes);
            for (FrameReader.Line line = reader.next(); line != null; line = reader.next()) {
                if (line instanceof FrameReader.Oversized o) {
                    write(Frame.error(
                            null,
                            ErrorCode.FRAME_TOO_LARGE,
                            "frame of " + o.discardedBytes() + " bytes exceeds the limit of " + maxFrameBytes
                                    + " bytes; discarded"));
                } else if (line instanceof FrameReader.Data d) {
                    onFrame(d);
                }
            }
        } catch (IOException e) {
            LOG.debug("connection from uid {} ended: {}", peerUid, e.toString());
        } finally {
            close();
            dispatcher.subscriptions().connectionClosed(this);
            onClose.run();
        }
    }

    private void onFrame(FrameReader.Data data) throws IOException {
        dispatcher.activity();
        Frame request;
        try {
            request = FrameCodec.decode(data.bytes(), data.length());
        } catch (ProtocolException e) {
            write(e.toFrame());
            return;
        }
        if (Protocol.HELLO.equals(request.type())) {
            Frame reply = dispatcher.hello(request);
            greeted = !reply.isError();
            write(reply);
        } else if (!greeted) {
            write(Frame.error(request.id(), ErrorCode.HELLO_REQUIRED, "send hello before \"" + request.type() + "\""));
        } else if (!dispatcher.serves(request.type()) || dispatcher.isInstant(request.type())) {
            // Unknown types and instant requests are answered here: a hand-off to a worker thread would
            // cost more than the work. Later replies still come in request order for these.
            write(dispatcher.handle(request, null));
        } else if (!inFlight.tryAcquire()) {
            write(Frame.error(request.id(), ErrorCode.BUSY, "too many requests in flight; retry later"));
        } else {
            try {
                executor.execute(() -> serve(request));
            } catch (RejectedExecutionException e) {
                inFlight.release();
                write(Frame.error(request.id(), ErrorCode.BUSY, "runner is shutting down"));
            }
        }
    }

    private void serve(Frame request) {
        try {
            if (dispatcher.handsOver(request.type())) {
                handOver(request);
                return;
            }
            Frame reply;
            try {
                reply = dispatcher.handle(request, this);
            } catch (RuntimeException e) {
                LOG.error("request {} ({}) failed", request.id(), request.type(), e);
                reply = Frame.error(
                        request.id(),
                        ErrorCode.INTERNAL,
                        "internal error: " + e.getClass().getSimpleName());
            }
            write(reply);
        } catch (IOException e) {
            close();
        } finally {
            inFlight.release();
        }
    }

    /**
     * Sends a handover's reply with its descriptor attached (SCM_RIGHTS, on the write that carries the reply's first
     * byte), then closes the runner's copy: from here the client and the other end talk without the runner.
     */
    private void handOver(Frame request) throws IOException {
        Object result;
        try {
            result = dispatcher.handover(request);
        } catch (RuntimeException e) {
            LOG.error("request {} ({}) failed", request.id(), request.type(), e);
            result = Frame.error(
                    request.id(),
                    ErrorCode.INTERNAL,
                    "internal error: " + e.getClass().getSimpleName());
        }
        if (!(result instanceof HandoverOperation.Handover h)) {
            write((Frame) result);
            return;
        }
        try (AutoCloseable owner = h.owner();
                // Released with a plain close(2) before the owner closes: junixsocket shuts a socket down when
                // it closes it, which would end the connection for the client too.
                java.io.FileInputStream release = new java.io.FileInputStream(h.descriptor())) {
            if (!(socket instanceof AFUNIXSocket unix)) {
                throw new IOException("descriptors pass only over a Unix socket");
            }
            byte[] bytes = FrameCodec.encode(h.reply());
            OutputStream o = out;
            if (o == null) {
                throw new IOException("the connection is not served yet");
            }
            synchronized (writeLock) {
                unix.setOutboundFileDescriptors(h.descriptor());
                try {
                    o.write(bytes);
                    o.flush();
                } finally {
                    unix.setOutboundFileDescriptors((java.io.FileDescriptor[]) null);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            LOG.debug("closing a handed-over connection failed: {}", e.toString());
        }
    }

    private void write(Frame frame) throws IOException {
        byte[] bytes = FrameCodec.encode(frame);
        OutputStream o = out;
        if (o == null) {
            throw new IOException("the connection is not served yet");
        }
        synchronized (writeLock) {
            o.write(bytes);
            o.flush();
        }
    }

    /** Sends a subscription's event; blocks while the client does not read. False once the connection is closed. */
    boolean send(Frame event) {
        try {
            write(event);
            return true;
        } catch (IOException | RuntimeException e) {
            close();
            return false;
        }
    }

    boolean isOpen() {
        return open && !socket.isClosed();
    }

    @Override
    public void close() {
        open = false;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
