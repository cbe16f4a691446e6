package io.oqto.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One request to a runner over its socket, with the JDK alone (root is always let in): hello, then the request. */
final class RunnerSocket {

    private RunnerSocket() {}

    /** The reply line to a request of {@code type} without fields. */
    static String request(Path socket, String type) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(c);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            out.write("{\"id\":\"1\",\"type\":\"hello\",\"protocol\":\"1.2\"}\n".getBytes(StandardCharsets.UTF_8));
            String welcome = in.readLine();
            if (welcome == null || !welcome.contains("\"welcome\"")) {
                throw new IOException("no welcome: " + welcome);
            }
            out.write(("{\"id\":\"2\",\"type\":\"" + type + "\"}\n").getBytes(StandardCharsets.UTF_8));
            return in.readLine();
        }
    }
}
