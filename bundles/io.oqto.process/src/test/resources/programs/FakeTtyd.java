import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in for ttyd (not packaged for this machine), faithful to what Oqto uses of it: the command line
 * {@code --interface <path>.sock --writable --cwd DIR cmd…}, {@code GET /} and {@code GET /token}, and the
 * WebSocket {@code /ws} with subprotocol {@code tty}: a JSON init frame first, then title ('1') and
 * preferences ('2') frames, then every '0'+input frame echoed back as '0'+output. Run with
 * {@code java FakeTtyd.java ARGS}.
 */
public class FakeTtyd {

    public static void main(String[] args) throws Exception {
        String iface = null;
        boolean writable = false;
        // Like ttyd, options end at the first argument that is not one: the rest is the command.
        for (int i = 0; i < args.length && args[i].startsWith("-"); i++) {
            switch (args[i]) {
                case "--interface", "-i" -> iface = args[++i];
                case "--writable", "-W" -> writable = true;
                case "--cwd", "-w" -> i++;
                default -> {}
            }
        }
        if (iface == null || !(iface.endsWith(".sock") || iface.endsWith(".socket"))) {
            System.err.println("fake-ttyd: only --interface <path>.sock is supported");
            System.exit(2);
        }
        Path socket = Path.of(iface);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        System.err.println("fake-ttyd: listening on " + socket + (writable ? " (writable)" : ""));
        boolean acceptInput = writable;
        while (true) {
            SocketChannel c = server.accept();
            new Thread(() -> serve(c, acceptInput)).start();
        }
    }

    static void serve(SocketChannel c, boolean writable) {
        try (c;
                InputStream in = Channels.newInputStream(c);
                OutputStream out = Channels.newOutputStream(c)) {
            String requestLine = line(in);
            Map<String, String> headers = new HashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(
                        h.substring(0, colon).trim().toLowerCase(),
                        h.substring(colon + 1).trim());
            }
            String path = requestLine == null ? "" : requestLine.split(" ")[1];
            if (path.equals("/")) {
                respond(out, 200, "text/html", "<!doctype html><title>ttyd</title>");
            } else if (path.equals("/token")) {
                respond(out, 200, "application/json", "{\"token\": \"\"}");
            } else if (path.equals("/ws")
                    && "websocket".equalsIgnoreCase(headers.get("upgrade"))
                    && headers.getOrDefault("sec-websocket-protocol", "").contains("tty")) {
                String accept = Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-1")
                                .digest((headers.get("sec-websocket-key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                        .getBytes(StandardCharsets.US_ASCII)));
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: tty\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                terminal(in, out, writable);
            } else {
                respond(out, path.equals("/ws") ? 400 : 404, "text/plain", "no");
            }
        } catch (Exception e) {
            // client gone
        }
    }

    static void terminal(InputStream in, OutputStream out, boolean writable) throws IOException {
        byte[] init = frame(in);
        if (init == null || init.length == 0 || init[0] != '{') {
            return;
        }
        send(out, ("1fake-ttyd (" + "localhost" + ")").getBytes(StandardCharsets.UTF_8));
        send(out, "2{}".getBytes(StandardCharsets.UTF_8));
        for (byte[] f = frame(in); f != null; f = frame(in)) {
            if (f.length > 0 && f[0] == '0' && writable) {
                send(out, f);
            }
        }
    }

    /** One client frame's payload (unmasked), or null on close. */
    static byte[] frame(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0 || (b0 & 0x0f) == 8) {
            return null;
        }
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | in.read();
            }
        }
        byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) len);
        for (int i = 0; mask != null && i < payload.length; i++) {
            payload[i] ^= mask[i % 4];
        }
        return payload;
    }

    static void send(OutputStream out, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x82);
        if (payload.length < 126) {
            f.write(payload.length);
        } else {
            f.write(126);
            f.write(payload.length >> 8);
            f.write(payload.length & 0xff);
        }
        f.write(payload);
        out.write(f.toByteArray());
        out.flush();
    }

    static void respond(OutputStream out, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + type + "\r\nContent-Length: " + b.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }
}
