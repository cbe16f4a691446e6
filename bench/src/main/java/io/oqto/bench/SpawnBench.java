package io.oqto.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sandboxed spawn of /bin/true: through the REST API (POST /processes, then polling its status until it
 * has exited) against running the very bwrap command the runner executed (taken from the spawn reply),
 * alternating, in the same run.
 *
 *   SpawnBench <base url> <token file> [spawns per round] [rounds]
 */
public final class SpawnBench {

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
                HttpResponse<String> spawned = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/processes"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"" + name + "\",\"argv\":[\"/bin/true\"]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (spawned.statusCode() != 201) {
                    throw new IllegalStateException("spawn failed: " + spawned.body());
                }
                HttpRequest status = HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/processes/" + name))
                        .header("Authorization", "Bearer " + token)
                        .build();
                while (!http.send(status, HttpResponse.BodyHandlers.ofString())
                        .body()
                        .contains("\"running\":false")) {
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
        System.out.printf(
                "sandboxed spawn of /bin/true, %d spawns x %d rounds (median of round p50s, range in brackets), ms%n",
                spawns, rounds);
        System.out.printf(
                "  bwrap directly          p50 %6.2f [%s]%n", Stats.median(directP50), Stats.range(directP50));
        System.out.printf("  REST -> runner -> bwrap p50 %6.2f [%s]%n", Stats.median(restP50), Stats.range(restP50));
        System.out.printf(
                "  overhead                p50 %6.2f [%s]   (goal <= 20 ms)%n",
                Stats.median(overhead), Stats.range(overhead));
        System.out.println("  command: " + String.join(" ", command));
    }

    /**
     * The bubblewrap command of a reply's {@code command}, without the limits wrapper and the environment
     * opener around it, and without the loader inside it (it reads the hand-over descriptor the opener makes):
     * the baseline is the sandbox alone, so the limits' and the hand-over's cost count as overhead.
     */
    static List<String> bwrapCommand(String json) throws IOException {
        List<String> command = commandOf(json);
        int bwrap = 0;
        while (bwrap < command.size() && !command.get(bwrap).endsWith("bwrap")) {
            bwrap++;
        }
        if (bwrap == command.size()) {
            throw new IllegalStateException("not sandboxed: " + json);
        }
        List<String> out = new ArrayList<>(command.subList(bwrap, command.size()));
        int program = out.indexOf("--") + 1;
        if (out.size() > program + 4
                && out.get(program).equals("/bin/sh")
                && out.get(program + 2).startsWith(". /dev/fd/3")) {
            out.subList(program, program + 4).clear();
        }
        return out;
    }

    /** The first {@code "command"} array of strings in a JSON reply. */
    private static List<String> commandOf(String json) throws IOException {
        try (com.fasterxml.jackson.core.JsonParser p =
                new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
            for (com.fasterxml.jackson.core.JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME
                        && p.currentName().equals("command")
                        && p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    List<String> out = new ArrayList<>();
                    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                        out.add(p.getText());
                    }
                    return out;
                }
            }
        }
        throw new IllegalStateException("no command in " + json);
    }
}
