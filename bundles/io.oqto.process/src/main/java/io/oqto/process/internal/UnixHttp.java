package io.oqto.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A minimal HTTP/1.1 GET over a Unix socket, for readiness checks (java.net.http cannot dial Unix sockets). */
final class UnixHttp {

    private UnixHttp() {}

    /** The status code of {@code GET path}; IOException when nothing answers. */
    static int get(Path socket, String path) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(c);
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = Channels.newInputStream(c);
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.US_ASCII);
            if (head.length < 12 || !status.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP reply: " + status);
            }
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
