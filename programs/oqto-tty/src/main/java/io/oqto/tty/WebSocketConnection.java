package io.oqto.tty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.HandshakeState;
import org.java_websocket.enums.Opcode;
import org.java_websocket.enums.Role;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.FramedataImpl1;
import org.java_websocket.framing.PongFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeImpl1Server;
import org.java_websocket.protocols.Protocol;
import org.jspecify.annotations.Nullable;

/**
 * A server-side WebSocket over a blocking channel: the handshake and every frame (masking, fragments, control frames,
 * size limits) are Java-WebSocket's RFC 6455 draft; this class only moves bytes. Reads block until a whole message is
 * there; writes block until the client took them, which is what bounds the terminal's output when a client is slow.
 */
final class WebSocketConnection implements AutoCloseable {

    /** The longest message a client may send (input and resizes are small). */
    static final int MAX_MESSAGE = 1 << 20;

    private final SocketChannel channel;
    private final Draft_6455 draft;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final Deque<Framedata> frames = new ArrayDeque<>();
    private boolean closeSent;

    private WebSocketConnection(SocketChannel channel, Draft_6455 draft, ByteBuffer early) {
        this.channel = channel;
        this.draft = draft;
        in.put(early);
        in.flip();
    }

    /** A draft that accepts exactly the {@code tty} subprotocol, as ttyd requires it. */
    static Draft_6455 ttyDraft() {
        Draft_6455 d = new Draft_6455(List.of(), List.of(new Protocol("tty")), MAX_MESSAGE);
        d.setParseMode(Role.SERVER);
        return d;
    }

    /**
     * Answers the upgrade: 101 and the connection, or 400 saying what is missing (then null, the channel still open
     * for the caller to close).
     *
     * @param early bytes the client sent after its request head
     */
    static @Nullable WebSocketConnection accept(SocketChannel channel, ClientHandshake request, ByteBuffer early)
            throws IOException {
        Draft_6455 draft = ttyDraft();
        try {
            if (draft.acceptHandshakeAsServer(request) != HandshakeState.MATCHED) {
                Http.respond(
                        channel,
                        400,
                        "Bad Request",
                        "a WebSocket upgrade (version 13) with Sec-WebSocket-Protocol: tty is required\n");
                return null;
            }
            HandshakeImpl1Server response = new HandshakeImpl1Server();
            draft.postProcessHandshakeResponseAsServer(request, response);
            response.setHttpStatus((short) 101);
            for (ByteBuffer b : draft.createHandshake(response, Role.SERVER)) {
                write(channel, b);
            }
            return new WebSocketConnection(channel, draft, early);
        } catch (InvalidHandshakeException e) {
            Http.respond(channel, 400, "Bad Request", "not a WebSocket upgrade: " + e.getMessage() + "\n");
            return null;
        }
    }

    /**
     * The next whole message (text or binary: the protocol reads both alike); null once the connection is over (a close frame answered, or the peer gone). A ping is
     * answered on the way; a message over {@link #MAX_MESSAGE} ends the connection with 1009.
     */
    byte @Nullable [] next() throws IOException {
        ByteArrayOutputStream fragments = null;
        while (true) {
            Framedata f = nextFrame();
            if (f == null) {
                return null;
            }
            switch (f.getOpcode()) {
                case PING -> send(new PongFrame((org.java_websocket.framing.PingFrame) f));
                case PONG -> {
                    // nothing asked for one
                }
                case CLOSING -> {
                    CloseFrame c = (CloseFrame) f;
                    close(c.getCloseCode() == CloseFrame.NOCODE ? CloseFrame.NORMAL : c.getCloseCode(), "");
                    return null;
                }
                case TEXT, BINARY, CONTINUOUS -> {
                    byte[] payload = bytes(f.getPayloadData());
                    if (f.getOpcode() != Opcode.CONTINUOUS && f.isFin()) {
                        return payload;
                    }
                    if (f.getOpcode() != Opcode.CONTINUOUS) {
                        fragments = new ByteArrayOutputStream();
                    }
                    if (fragments == null) {
                        close(CloseFrame.PROTOCOL_ERROR, "a continuation without a first fragment");
                        return null;
                    }
                    if (fragments.size() + payload.length > MAX_MESSAGE) {
                        close(CloseFrame.TOOBIG, "message over " + MAX_MESSAGE + " bytes");
                        return null;
                    }
                    fragments.write(payload);
                    if (f.isFin()) {
                        return fragments.toByteArray();
                    }
                }
            }
        }
    }

    private @Nullable Framedata nextFrame() throws IOException {
        while (frames.isEmpty()) {
            if (in.hasRemaining()) {
                try {
                    frames.addAll(draft.translateFrame(in));
                } catch (InvalidDataException e) {
                    close(e.getCloseCode(), String.valueOf(e.getMessage()));
                    return null;
                }
                continue;
            }
            in.clear();
            int n;
            try {
                n = channel.read(in);
            } catch (IOException gone) {
                n = -1;
            }
            in.flip();
            if (n < 0) {
                return null;
            }
        }
        return frames.poll();
    }

    /** Sends one binary message. */
    void sendBinary(byte[] data, int offset, int length) throws IOException {
        FramedataImpl1 f = FramedataImpl1.get(Opcode.BINARY);
        f.setPayload(ByteBuffer.wrap(data, offset, length));
        f.setFin(true);
        send(f);
    }

    private synchronized void send(Framedata f) throws IOException {
        if (closeSent) {
            throw new IOException("the WebSocket is closed");
        }
        write(channel, draft.createBinaryFrame(f));
    }

    /**
     * Sends a close frame (once) and half-closes: the client reads it, then the end, and answers with its own close
     * frame, which {@link #drainAndClose} takes. Closing the channel at once could reset it before the client read
     * the reason.
     */
    synchronized void close(int code, String reason) {
        if (!closeSent) {
            closeSent = true;
            try {
                CloseFrame c = new CloseFrame();
                c.setCode(code);
                c.setReason(reason.length() > 120 ? reason.substring(0, 120) : reason);
                c.isValid();
                write(channel, draft.createBinaryFrame(c));
                channel.shutdownOutput();
            } catch (IOException | InvalidDataException ignored) {
                // the peer is gone: nothing to tell it
            }
        }
    }

    /**
     * The end of a connection, on its reading thread: a close frame if none was sent, what the client still sends
     * (its close frame) read and dropped until it closes or {@code graceMs} pass, then the channel closed.
     */
    void drainAndClose(java.util.concurrent.ScheduledExecutorService timer, long graceMs) {
        close(CloseFrame.NORMAL, "");
        java.util.concurrent.ScheduledFuture<?> deadline =
                timer.schedule(this::closeChannel, graceMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (channel.read(b) >= 0) {
                b.clear();
            }
        } catch (IOException ended) {
            // closed by the deadline, or by the client
        } finally {
            deadline.cancel(false);
            closeChannel();
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        close(CloseFrame.NORMAL, "");
    }

    private static void write(SocketChannel channel, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
