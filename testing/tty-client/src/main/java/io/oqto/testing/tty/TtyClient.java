package io.oqto.testing.tty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.Protocol;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A client of the tty protocol as the control plane is one: Java-WebSocket's client over a junixsocket socket to the
 * terminal program's Unix socket. Keeps the output, the title and preference messages, and how it was closed.
 */
public final class TtyClient extends WebSocketClient {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final StringBuilder commands = new StringBuilder();
    private final CountDownLatch closed = new CountDownLatch(1);
    /**
     * A raw upgrade to {@code /ws} with subprotocol {@code tty}, for tests that speak the protocol byte by byte (the
     * key is RFC 6455's example: its accept value is {@code s3pPLMBiTxaQ9kYGzzhZRbK+xOo=}).
     */
    public static final String UPGRADE_REQUEST = String.join(
            "\r\n",
            "GET /ws HTTP/1.1",
            "Host: localhost",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Protocol: tty",
            "",
            "");

    /** A client's binary frame for a payload under 126 bytes, masked with a zero key (tests that write raw bytes). */
    public static ByteBuffer maskedBinary(byte[] payload) {
        if (payload.length >= 126) {
            throw new IllegalArgumentException("a short frame holds at most 125 bytes, not " + payload.length);
        }
        ByteBuffer b = ByteBuffer.allocate(payload.length + 6);
        b.put((byte) 0x82);
        b.put((byte) (0x80 | payload.length));
        b.putInt(0);
        b.put(payload);
        return b.flip();
    }

    /** Where {@code what} first starts in {@code in} at or after {@code from}; -1 when it does not. */
    public static int indexOf(byte[] in, byte[] what, int from) {
        outer:
        for (int i = Math.max(0, from); i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Where output goes instead of being kept (benchmarks of large outputs); null: kept. */
    private volatile java.util.function.@org.jspecify.annotations.Nullable Consumer<ByteBuffer> sink;

    private volatile int closeCode = -1;
    private volatile String closeReason = "";

    private TtyClient() {
        this(URI.create("ws://localhost/ws"), java.util.Map.of());
    }

    private TtyClient(URI uri, java.util.Map<String, String> headers) {
        super(uri, new Draft_6455(List.of(), List.of(new Protocol("tty"))), headers);
    }

    /**
     * A WebSocket to {@code uri} (the control plane's terminal route) with these headers (Authorization, Cookie,
     * Origin), the size sent once it is open. One the server refuses comes back closed: see {@link #closeCode()}.
     */
    public static TtyClient connect(URI uri, java.util.Map<String, String> headers, int columns, int rows)
            throws Exception {
        TtyClient c = new TtyClient(uri, headers);
        if (c.connectBlocking(30, TimeUnit.SECONDS)) {
            try {
                c.send(("{\"AuthToken\":\"\",\"columns\":" + columns + ",\"rows\":" + rows + "}")
                        .getBytes(StandardCharsets.UTF_8));
            } catch (org.java_websocket.exceptions.WebsocketNotConnectedException refusedAtOnce) {
                // the server closed it right after opening it: closeCode() says why
            }
        }
        return c;
    }

    /** Connected, the init message sent: the terminal starts at this size. */
    public static TtyClient open(Path socket, int columns, int rows) throws Exception {
        return openWith(
                socket,
                ("{\"AuthToken\":\"\",\"columns\":" + columns + ",\"rows\":" + rows + "}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** Over a connection already made (a handed-over one), the init message sent. */
    public static TtyClient over(java.net.Socket connected, int columns, int rows) throws Exception {
        TtyClient c = new TtyClient();
        c.setSocket(connected);
        if (!c.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new IOException("no WebSocket over " + connected);
        }
        c.send(("{\"AuthToken\":\"\",\"columns\":" + columns + ",\"rows\":" + rows + "}")
                .getBytes(StandardCharsets.UTF_8));
        return c;
    }

    /** Connected, {@code first} sent as the first message. */
    public static TtyClient openWith(Path socket, byte[] first) throws Exception {
        TtyClient c = new TtyClient();
        c.setSocket(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket)));
        if (!c.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new IOException("no WebSocket to " + socket);
        }
        c.send(first);
        return c;
    }

    /** Output ({@code '0'} messages, without their prefix) goes to {@code to} from now on, not kept. */
    public void sendOutputTo(java.util.function.Consumer<ByteBuffer> to) {
        sink = to;
    }

    public void type(String text) {
        command('0', text.getBytes(StandardCharsets.UTF_8));
    }

    public void command(char c, byte[] payload) {
        byte[] b = new byte[payload.length + 1];
        b[0] = (byte) c;
        System.arraycopy(payload, 0, b, 1, payload.length);
        send(b);
    }

    public void resize(int columns, int rows) {
        command('1', ("{\"columns\":" + columns + ",\"rows\":" + rows + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {
        synchronized (output) {
            output.writeBytes(message.getBytes(StandardCharsets.UTF_8));
            output.notifyAll();
        }
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        if (!bytes.hasRemaining()) {
            return;
        }
        java.util.function.Consumer<ByteBuffer> to = sink;
        if (to != null && bytes.get(bytes.position()) == '0') {
            bytes.get();
            to.accept(bytes);
            return;
        }
        byte kind = bytes.get();
        byte[] rest = new byte[bytes.remaining()];
        bytes.get(rest);
        synchronized (output) {
            if (kind == '0') {
                output.writeBytes(rest);
            } else {
                commands.append((char) kind)
                        .append(new String(rest, StandardCharsets.UTF_8))
                        .append('\n');
            }
            output.notifyAll();
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode = code;
        closeReason = reason;
        closed.countDown();
        synchronized (output) {
            output.notifyAll();
        }
    }

    @Override
    public void onError(Exception ex) {}

    public byte[] outputBytes() {
        synchronized (output) {
            return output.toByteArray();
        }
    }

    public String text() {
        return new String(outputBytes(), StandardCharsets.UTF_8);
    }

    /** The title and preference messages, one a line ({@code 1…}, {@code 2…}). */
    public String commands() {
        synchronized (output) {
            return commands.toString();
        }
    }

    /** Waits until the output so far passes {@code test}; the output is in the failure. */
    public String await(String what, Predicate<String> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (true) {
                String now = new String(output.toByteArray(), StandardCharsets.UTF_8);
                if (test.test(now)) {
                    return now;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; the terminal showed: " + now
                            + (closed.getCount() == 0 ? " (closed: " + closeCode + " " + closeReason + ")" : ""));
                }
                output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    public String await(String contained) throws InterruptedException {
        return await("\"" + contained + "\"", s -> s.contains(contained), Duration.ofSeconds(20));
    }

    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }
}
