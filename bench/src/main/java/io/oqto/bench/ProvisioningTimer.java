package io.oqto.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Provisions a user through REST, timed, and deletes one: how the provisioning benches do both. */
final class ProvisioningTimer {

    private ProvisioningTimer() {}

    /** Milliseconds until {@code POST /api/v1/admin/users} answered 201 (the runner answers by then). */
    static double create(HttpClient http, String base, String token, String name) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/users"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"" + name + "\",\"email\":\"" + name + "@example.com\"}"))
                        .timeout(Duration.ofMinutes(3))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("creating " + name + ": " + r.statusCode() + " " + r.body());
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    static void delete(HttpClient http, String base, String token, String name) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/users/" + name))
                        .header("Authorization", "Bearer " + token)
                        .DELETE()
                        .timeout(Duration.ofMinutes(3))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            System.err.println("deleting " + name + ": " + r.statusCode() + " " + r.body());
        }
    }
}
