package io.oqto.bench;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.routing.standalone.StandaloneGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runner round trip through the control plane's pooled client (a real runner process on {@code args[0]})
 * against the floor: a raw Unix-socket line echo in this JVM, measured in the same run, same sizes, and
 * waited for the same way (spin, then block).
 *
 *   RoundTripBench <runner socket> [iterations] [rounds]
 */
public final class RoundTripBench {

    public static void main(String[] args) throws Exception {
        Path runnerSocket = Path.of(args[0]);
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path echoSocket = Files.createTempDirectory("oqto-bench").resolve("echo.sock");
        startEcho(echoSocket);

        String me = System.getProperty("user.name");

        double[] rawP50 = new double[rounds], rawP99 = new double[rounds];
        double[] poolP50 = new double[rounds], poolP99 = new double[rounds], ratio = new double[rounds];
        try (StandaloneGateway.Closeable client = StandaloneGateway.singleUser(runnerSocket.toString());
                SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            RunnerGateway router = client.gateway();
            raw.connect(UnixDomainSocketAddress.of(echoSocket));
            raw.configureBlocking(false);
            raw.register(selector, SelectionKey.OP_READ);
            ByteBuffer line = ByteBuffer.wrap("{\"id\":\"1\",\"type\":\"ping\"}\n".getBytes(StandardCharsets.UTF_8));
            ByteBuffer reply = ByteBuffer.allocate(256);
            for (int r = -1; r < rounds; r++) { // round -1 warms both paths up and is not reported
                long[] rawNanos = new long[iterations];
                long[] poolNanos = new long[iterations];
                for (int i = 0; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    echo(raw, selector, line.rewind(), reply.clear());
                    rawNanos[i] = System.nanoTime() - t0;
                    long t1 = System.nanoTime();
                    router.ping(me);
                    poolNanos[i] = System.nanoTime() - t1;
                }
                if (r >= 0) {
                    Stats a = Stats.of(rawNanos);
                    Stats b = Stats.of(poolNanos);
                    rawP50[r] = a.percentileMicros(50);
                    rawP99[r] = a.percentileMicros(99);
                    poolP50[r] = b.percentileMicros(50);
                    poolP99[r] = b.percentileMicros(99);
                    ratio[r] = poolP50[r] / rawP50[r];
                }
            }
        }
        System.out.printf(
                "runner round trip, %d requests x %d rounds (median of rounds, range in brackets), microseconds%n",
                iterations, rounds);
        System.out.printf(
                "  raw unix-socket echo   p50 %7.1f [%s]   p99 %7.1f [%s]%n",
                Stats.median(rawP50), Stats.range(rawP50), Stats.median(rawP99), Stats.range(rawP99));
        System.out.printf(
                "  pooled client->runner  p50 %7.1f [%s]   p99 %7.1f [%s]%n",
                Stats.median(poolP50), Stats.range(poolP50), Stats.median(poolP99), Stats.range(poolP99));
        System.out.printf(
                "  p50 ratio pooled/raw   %.2f [%s]   (goal <= 3)%n", Stats.median(ratio), Stats.range(ratio));
    }

    /**
     * One raw round trip, waiting the same way the pooled client does (spin briefly, then block), so
     * the two differ only in what the runner path adds, not in how the waiting thread is woken.
     */
    private static void echo(SocketChannel raw, Selector selector, ByteBuffer line, ByteBuffer reply)
            throws IOException {
        while (line.hasRemaining()) {
            raw.write(line);
        }
        long spinUntil = System.nanoTime() + 30_000;
        while (true) {
            if (raw.read(reply) < 0) {
                throw new IOException("echo closed");
            }
            if (reply.position() > 0 && reply.get(reply.position() - 1) == '\n') {
                return;
            }
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                selector.select(1000);
                selector.selectedKeys().clear();
            }
        }
    }

    /** The floor: a line echo with a thread per connection, nothing else. */
    private static void startEcho(Path path) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread t = new Thread(
                () -> {
                    try (SocketChannel c = server.accept()) {
                        BufferedReader in = new BufferedReader(
                                new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                        OutputStream out = Channels.newOutputStream(c);
                        for (String l = in.readLine(); l != null; l = in.readLine()) {
                            out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    } catch (IOException e) {
                        // bench over
                    }
                },
                "echo");
        t.setDaemon(true);
        t.start();
    }
}
