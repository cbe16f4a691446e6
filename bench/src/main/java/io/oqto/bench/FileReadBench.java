package io.oqto.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * File read throughput: {@code GET /api/v1/users/me/files/{name}} (control plane → runner, 512 KiB
 * base64 chunks) against reading the same file directly, alternating, in the same run.
 *
 *   FileReadBench <base url> <token file> <file in the workspace> <name relative to the workspace> [rounds]
 */
public final class FileReadBench {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = Files.readString(Path.of(args[1])).strip();
        Path file = Path.of(args[2]);
        String name = args[3];
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        long size = Files.size(file);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/files/" + name))
                .header("Authorization", "Bearer " + token)
                .build();
        double[] rest = new double[rounds];
        double[] direct = new double[rounds];
        for (int r = -1; r < rounds; r++) { // round -1 warms up and is not reported
            long t0 = System.nanoTime();
            HttpResponse<InputStream> resp = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
            long got;
            try (InputStream in = resp.body()) {
                got = in.transferTo(OutputStream.nullOutputStream());
            }
            double restSeconds = (System.nanoTime() - t0) / 1e9;
            if (resp.statusCode() != 200 || got != size) {
                throw new IllegalStateException(
                        "REST read failed: status " + resp.statusCode() + ", " + got + " of " + size);
            }
            long t1 = System.nanoTime();
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            double directSeconds = (System.nanoTime() - t1) / 1e9;
            if (r >= 0) {
                rest[r] = size / 1048576.0 / restSeconds;
                direct[r] = size / 1048576.0 / directSeconds;
            }
        }
        System.out.printf(
                "file read, %.0f MiB file, %d rounds (median, range in brackets)%n", size / 1048576.0, rounds);
        System.out.printf("  direct read            %8.1f MiB/s [%s]%n", Stats.median(direct), Stats.range(direct));
        System.out.printf("  REST -> runner         %8.1f MiB/s [%s]%n", Stats.median(rest), Stats.range(rest));
        System.out.printf("  REST / direct          %.3f%n", Stats.median(rest) / Stats.median(direct));
    }
}
