package io.oqto.bench;

import io.oqto.testing.eavs.FakeEavs;
import io.oqto.testing.llm.FakeLlm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Provisioning through REST with and without the eavs step, alternating in the same run: between the two, the
 * config file gets or loses its {@code [eavs]} section and the bench waits until the control plane has re-read it.
 * Each user is deleted again after it was timed.
 *
 *   EavsProvisioningBench <base url> <admin token file> <name prefix> <config.toml> <master key file> [rounds]
 */
public final class EavsProvisioningBench {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = Files.readString(Path.of(args[1])).strip(); // a 0600 file: no secret on a command line
        String prefix = args[2];
        Path config = Path.of(args[3]);
        String master = Files.readString(Path.of(args[4])).strip();
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        String plain = Files.readString(config);
        try (FakeLlm llm = new FakeLlm(0);
                FakeEavs eavs =
                        new FakeEavs(master, true, URI.create(llm.baseUrl().replaceAll("/v1$", "")), List.of())) {
            String withEavs =
                    plain + "\n[eavs]\nbase_url = \"" + eavs.baseUrl() + "\"\nmaster_key = \"file:" + args[4] + "\"\n";
            double[] without = new double[rounds];
            double[] with = new double[rounds];
            System.out.printf(
                    "provisioning through REST until the runner answers (and, with eavs, holds its key), %d rounds alternating:%n",
                    rounds);
            for (int r = -1; r < rounds; r++) { // round -1 warms both paths up
                switch_(base, token, config, plain, false);
                double a = ProvisioningTimer.create(HTTP, base, token, prefix + "n" + (r + 1));
                ProvisioningTimer.delete(HTTP, base, token, prefix + "n" + (r + 1));
                switch_(base, token, config, withEavs, true);
                double b = ProvisioningTimer.create(HTTP, base, token, prefix + "e" + (r + 1));
                ProvisioningTimer.delete(HTTP, base, token, prefix + "e" + (r + 1));
                if (r >= 0) {
                    without[r] = a;
                    with[r] = b;
                }
            }
            System.out.printf("  without eavs: %.0f ms [%s]%n", Stats.median(without), Stats.range(without));
            System.out.printf("  with eavs:    %.0f ms [%s]%n", Stats.median(with), Stats.range(with));
            double[] added = Stats.minus(with, without);
            System.out.printf(
                    "  the eavs step adds %.0f ms [%s], ratio x%.2f%n",
                    Stats.median(added), Stats.range(added), Stats.median(with) / Stats.median(without));
        } finally {
            Files.writeString(config, plain);
        }
    }

    /** Writes the config and waits (at most 30 s) until {@code /api/v1/admin/eavs} shows it in force. */
    private static void switch_(String base, String token, Path config, String text, boolean eavs) throws Exception {
        if (!Files.readString(config).equals(text)) {
            Files.writeString(config, text);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            String status = HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/eavs"))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            if (status.contains("\"reachable\":true") == eavs) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the control plane did not take up the config change (eavs " + eavs + ")");
    }
}
