package io.oqto.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sandboxed spawn of /bin/true: through the REST API (POST /processes, then polling its status until it
 * has exited) against running the very bwrap command the runner executed (taken from the spawn reply),
 * alternating, in the same run.
 *
 *   SpawnBench <base url> <token file> [spawns per round] [rounds]
 */
public final class SpawnBench {

    private static final Pattern BWRAP = Pattern.compile("\"command\":\\[.*?(\"[^\"]*bwrap\")((?:,\"[^\"]*\")*)\\]");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = Files.readString(Path.of(args[1])).strip();
        int spawns = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        HttpClient http = HttpClient.newHttpClient();
        double[] restP50 = new double[rounds];
        double[] directP50 = new double[rounds];
        int n = 0;
        List<String> command = null;
        for (int r = -1; r < rounds; r++) { // round -1 warms up and is not reported
            long[] rest = new long[spawns];
            long[] direct = new long[spawns];
            for (int i = 0; i < spawns; i++) {
                String name = "bench-" + n++;
                long t0 = System.nanoTime();
                HttpResponse<String> spawned = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/processes"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"argv\":[\"/bin/true\"]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (spawned.statusCode() != 201) {
                    throw new IllegalStateException("spawn failed: " + spawned.body());
                }
                HttpRequest status = HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/processes/" + name))
                        .header("Authorization", "Bearer " + token).build();
                while (!http.send(status, HttpResponse.BodyHandlers.ofString()).body().contains("\"running\":false")) {
                    Thread.onSpinWait();
                }
                rest[i] = System.nanoTime() - t0;
                if (command == null) {
                    command = bwrapCommand(spawned.body());
                }
                long t1 = System.nanoTime();
                Process p = new ProcessBuilder(command).start();
                p.waitFor();
                direct[i] = System.nanoTime() - t1;
            }
            if (r >= 0) {
                restP50[r] = Stats.of(rest).percentileMicros(50) / 1000;
                directP50[r] = Stats.of(direct).percentileMicros(50) / 1000;
            }
        }
        double[] overhead = Stats.minus(restP50, directP50);
        System.out.printf("sandboxed spawn of /bin/true, %d spawns x %d rounds (median of round p50s, range in brackets), ms%n",
                spawns, rounds);
        System.out.printf("  bwrap directly          p50 %6.2f [%s]%n", Stats.median(directP50), Stats.range(directP50));
        System.out.printf("  REST -> runner -> bwrap p50 %6.2f [%s]%n", Stats.median(restP50), Stats.range(restP50));
        System.out.printf("  overhead                p50 %6.2f [%s]   (goal <= 20 ms)%n", Stats.median(overhead), Stats.range(overhead));
        System.out.println("  command: " + String.join(" ", command));
    }

    /**
     * The bubblewrap command of a reply's {@code command}, without the limits wrapper around it (a
     * cgroup-entering shell, prlimit or systemd-run): the baseline is the sandbox alone, so the limits'
     * cost counts as overhead. bwrap's own arguments are plain paths and flags, so splitting is enough.
     */
    static List<String> bwrapCommand(String json) {
        Matcher m = BWRAP.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("not sandboxed: " + json);
        }
        List<String> out = new ArrayList<>();
        for (String part : (m.group(1) + m.group(2)).split("\",\"")) {
            out.add(part.replace("\"", "").replace("\\/", "/"));
        }
        return out;
    }
}
