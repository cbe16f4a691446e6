package io.oqto.systemtests;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An event-stream request on a plain socket, the way a browser tab that is closed mid-stream behaves: it
 * reads the response head (and, for a 200, the first {@code : connected} comment), then can vanish with
 * {@link #close()} without a word to the server.
 */
final class RawStream implements AutoCloseable {

    private final Socket socket;
    private final String head;

    private RawStream(Socket socket, String head) {
        this.socket = socket;
        this.head = head;
    }

    static RawStream connect(int port, String path, String token) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(30_000);
        s.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                                + "\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        // A 200 stream says ": connected" at once; an error is a small complete body.
        while (!b.toString().contains(": connected")
                && !(b.indexOf("\r\n\r\n") > 0
                        && !b.toString().startsWith("HTTP/1.1 200")
                        && b.toString().trim().endsWith("}"))) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return new RawStream(s, b.toString());
    }

    static List<RawStream> open(int port, String path, String token, int count) throws IOException {
        List<RawStream> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawStream r = connect(port, path, token);
            if (r.status() != 200) {
                throw new AssertionError("stream " + (i + 1) + " of " + count + " refused: " + r.head());
            }
            all.add(r);
        }
        return all;
    }

    static void dropAll(List<RawStream> streams) throws IOException {
        for (RawStream r : streams) {
            r.close();
        }
    }

    int status() {
        return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
    }

    String head() {
        return head;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
