package io.oqto.terminal.bridge.internal;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.websocket.CloseReason;
import javax.websocket.Session;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.Protocol;
import org.jspecify.annotations.Nullable;

/**
 * One terminal's connection to its program (the handed-over socket), in ttyd's protocol, and the browser tabs
 * watching it. Output goes to every viewer as it comes — blocking, so a slow tab holds the output in the terminal,
 * not in memory — and its last {@link #SCROLLBACK} bytes are kept to show a tab that attaches later. The first
 * browser's size message starts the shell; a later one's is sent as a resize.
 */
final class Upstream extends WebSocketClient {

    /** Output kept for tabs that attach later (a reconnect within the grace time sees the recent screen). */
    static final int SCROLLBACK = 64 * 1024;

    final String key;
    private final Set<Session> viewers = new CopyOnWriteArraySet<>();
    private final ArrayDeque<byte[]> scrollback = new ArrayDeque<>();
    private int scrollbackBytes;
    /** The program's last title ({@code '1'}) and preferences ({@code '2'}) messages, for tabs that attach later. */
    private byte @Nullable [] title;

    private byte @Nullable [] preferences;
    private final Consumer<Upstream> ended;
    private volatile boolean started;

    Upstream(String key, Socket connection, Consumer<Upstream> ended) {
        super(URI.create("ws://localhost/ws"), new Draft_6455(List.of(), List.of(new Protocol("tty"))));
        this.key = key;
        this.ended = ended;
        setSocket(connection);
    }

    /** Connects the WebSocket over the handed socket; false when the program did not answer in time. */
    boolean open() throws InterruptedException {
        return connectBlocking(10, TimeUnit.SECONDS);
    }

    /**
     * A tab attaches: it sees the recent output first, then the title and preferences, then everything new. The
     * preferences end the replay, as they end a new terminal's opening messages: a browser must not answer the
     * terminal queries (cursor position, colours) that the replayed output holds — they were answered when they were
     * new — and knows from the preferences that what follows is live.
     */
    void attach(Session viewer) throws IOException {
        synchronized (scrollback) {
            for (byte[] b : scrollback) {
                viewer.getBasicRemote().sendBinary(ByteBuffer.wrap(b));
            }
            for (byte[] b : new byte[][] {title, preferences}) {
                if (b != null) {
                    viewer.getBasicRemote().sendBinary(ByteBuffer.wrap(b));
                }
            }
            viewers.add(viewer);
        }
    }

    /** Removes a tab; true when none is left. */
    boolean detach(Session viewer) {
        viewers.remove(viewer);
        return viewers.isEmpty();
    }

    boolean watched() {
        return !viewers.isEmpty();
    }

    /**
     * A browser's message: its first one per tab is the size ({@code {"columns":N,"rows":M}}), which starts the shell
     * the first time and is a resize after; then input ({@code 0…}), resize ({@code 1…}), pause and resume.
     */
    void fromBrowser(byte[] data, boolean firstOfTab) {
        if (data.length == 0 || !isOpen()) {
            return;
        }
        if (firstOfTab && data[0] == '{') {
            if (!started) {
                started = true;
                send(data);
                return;
            }
            byte[] resize = new byte[data.length + 1];
            resize[0] = '1';
            System.arraycopy(data, 0, resize, 1, data.length);
            send(resize);
            return;
        }
        if (started && data[0] >= '0' && data[0] <= '3') {
            send(data);
        }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {
        onMessage(ByteBuffer.wrap(("0" + message).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        synchronized (scrollback) {
            if (b.length > 0 && b[0] == '1') {
                title = b;
            } else if (b.length > 0 && b[0] == '2') {
                preferences = b;
            } else if (b.length > 0 && b[0] == '0') {
                scrollback.addLast(b);
                scrollbackBytes += b.length;
                while (scrollbackBytes > SCROLLBACK && scrollback.size() > 1) {
                    scrollbackBytes -= scrollback.removeFirst().length;
                }
            }
            List<Session> gone = new java.util.ArrayList<>();
            for (Session v : viewers) {
                try {
                    v.getBasicRemote().sendBinary(ByteBuffer.wrap(b));
                } catch (IOException | RuntimeException e) {
                    gone.add(v);
                }
            }
            viewers.removeAll(gone);
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        for (Session v : viewers) {
            try {
                v.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "terminal ended" + suffix(reason)));
            } catch (IOException ignored) {
                // gone already
            }
        }
        viewers.clear();
        ended.accept(this);
    }

    private static String suffix(@Nullable String reason) {
        return reason == null || reason.isEmpty() ? "" : ": " + reason;
    }

    @Override
    public void onError(Exception ex) {
        // onClose follows
    }
}
