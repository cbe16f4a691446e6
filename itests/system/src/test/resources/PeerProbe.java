import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Run as another Linux user by the system test (java PeerProbe.java SOCKET): connects, sends hello,
 * prints the first line the runner answers, or "connect failed: <reason>".
 */
public class PeerProbe {
    public static void main(String[] args) throws Exception {
        SocketChannel c;
        try {
            c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.connect(UnixDomainSocketAddress.of(args[0]));
        } catch (java.io.IOException e) {
            System.out.println("connect failed: " + e.getMessage());
            return;
        }
        try (c) {
            try {
                Channels.newOutputStream(c)
                        .write("{\"id\":\"1\",\"type\":\"hello\",\"protocol\":\"1.0\"}\n"
                                .getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                // A refused peer may be sent its error and closed before we write: the error is still ours to read.
            }
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            System.out.println(in.readLine());
        }
    }
}
