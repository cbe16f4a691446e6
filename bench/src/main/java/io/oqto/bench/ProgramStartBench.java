package io.oqto.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Starting the file server until it answers: through the REST API ({@code POST /programs/fileserver}, which
 * returns once {@code GET /health} on its socket answers) against running the same bubblewrap command
 * directly and polling the socket the same way, alternating, in the same run.
 *
 *   ProgramStartBench <base url> <token file> [starts per round] [rounds]
 */
public final class ProgramStartBench {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = Files.readString(Path.of(args[1])).strip();
        int starts = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        HttpClient http = HttpClient.newHttpClient();
        double[] restP50 = new double[rounds];
        double[] directP50 = new double[rounds];
        List<String> command = null;
        Path socket = null;
        for (int r = -1; r < rounds; r++) { // round -1 warms up and is not reported
            long[] rest = new long[starts];
            long[] direct = new long[starts];
            for (int i = 0; i < starts; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> started = post(http, base + "/api/v1/users/me/programs/fileserver", token, "{}");
                if (started.statusCode() != 201) {
                    throw new IllegalStateException("start failed: " + started.body());
                }
                rest[i] = System.nanoTime() - t0;
                if (command == null) {
                    command = SpawnBench.bwrapCommand(started.body());
                    socket = Path.of(started.body().replaceAll(".*\"socket\":\"([^\"]+)\".*", "$1"));
                }
                post(http, base + "/api/v1/users/me/processes/fileserver/stop?grace_ms=2000", token, "");
                Files.deleteIfExists(socket);
                long t1 = System.nanoTime();
                Process p = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                while (!healthy(socket)) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("the direct file server exited: " + p.exitValue());
                    }
                    Thread.sleep(5);
                }
                direct[i] = System.nanoTime() - t1;
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                p.waitFor();
            }
            if (r >= 0) {
                restP50[r] = Stats.of(rest).percentileMicros(50) / 1000;
                directP50[r] = Stats.of(direct).percentileMicros(50) / 1000;
            }
        }
        double[] overhead = Stats.minus(restP50, directP50);
        System.out.printf(
                "file server start until GET /health answers, %d starts x %d rounds (median of round p50s, range), ms%n",
                starts, rounds);
        System.out.printf(
                "  bwrap command directly  p50 %7.1f [%s]%n", Stats.median(directP50), Stats.range(directP50));
        System.out.printf("  REST start_program      p50 %7.1f [%s]%n", Stats.median(restP50), Stats.range(restP50));
        System.out.printf("  overhead                p50 %7.1f [%s]%n", Stats.median(overhead), Stats.range(overhead));
    }

    private static HttpResponse<String> post(HttpClient http, String url, String token, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean healthy(@Nullable Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(c);
            out.write(
                    "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = Channels.newInputStream(c);
            return new String(in.readNBytes(12), StandardCharsets.US_ASCII).endsWith("200");
        } catch (IOException e) {
            return false;
        }
    }
}
