package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.testing.llm.FakeLlm;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Per-user eavs, for real: provisioning writes each user's own eavs config and master key into their home (0600,
 * theirs), the root helper starts that eavs (the double) as the user's service before the runner, the control
 * plane issues the user's key there, and the user's agent answers through it. One user's key means nothing to
 * another user's eavs. The tests build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EavsPerUserSystemIT {

    private static final Duration WAIT = MultiUserDeployment.WAIT;
    private static final int PORT_BASE = 47000 + (int) (System.nanoTime() % 1000);

    private MultiUserDeployment d;
    private String alice;
    private String bob;
    private String aliceToken;

    @BeforeAll
    void start() throws Exception {
        d = new MultiUserDeployment(List.of(), List.of("user_port_base = " + PORT_BASE), true);
        alice = d.user("a" + d.tag);
        bob = d.user("b" + d.tag);
    }

    @AfterAll
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    private static Path eavsDir(String user) {
        return Path.of("/home/oqto_" + user + "/.config/eavs");
    }

    private int portOf(String user) throws Exception {
        return PORT_BASE + Commands.uidOf("oqto_" + user) - 2000;
    }

    private String masterKeyOf(String user) throws Exception {
        return Files.readString(d.work.resolve("state/eavs/" + user + ".master-key"))
                .strip();
    }

    private HttpResponse<String> ask(int port, String path, String bearer) throws Exception {
        return d.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + bearer)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void provisioningWritesTheUsersOwnEavsConfigAndIssuesTheKeyThere() throws Exception {
        HttpResponse<String> created = d.send(
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"" + alice + "\",\"email\":\"alice@example.com\"}",
                d.adminToken);
        assertEquals(201, created.statusCode(), created.body() + Commands.tails(d.helperLog, d.cpLog));
        assertTrue(
                created.body().contains("\"steps\":[\"create-user\",\"record\",\"eavs-config\",\"set-linger\""),
                created.body());
        assertTrue(created.body().contains("\"eavs-key\""), created.body());
        aliceToken = created.body().replaceAll(".*\"token\":\"(oqto_[^\"]+)\".*", "$1");

        for (String f : List.of("config.toml", "env")) {
            Path p = eavsDir(alice).resolve(f);
            assertEquals("oqto_" + alice, Commands.ownerOf(p), p.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        String master = masterKeyOf(alice);
        assertEquals(
                "EAVS_MASTER_KEY=" + master + "\n",
                Files.readString(eavsDir(alice).resolve("env")));
        assertTrue(Files.readString(eavsDir(alice).resolve("config.toml")).contains("port = " + portOf(alice)));

        HttpResponse<String> keys = ask(portOf(alice), "/admin/keys", master);
        assertEquals(200, keys.statusCode(), keys.body());
        assertTrue(keys.body().contains("\"owner\":\"" + alice + "\""), keys.body());
        String secret = Files.readString(Path.of("/home/oqto_" + alice + "/.config/oqto/eavs.key"))
                .strip();
        assertFalse(Commands.read(d.cpLog).contains(master), "the master key is not logged");
        assertFalse(Commands.read(d.cpLog).contains(secret), "the user's key is not logged");
    }

    @Test
    @Order(2)
    void alicesAgentAnswersThroughHerOwnEavs() throws Exception {
        HttpResponse<String> created = d.send(
                "POST",
                "/api/v1/users/me/sessions",
                "{\"session\":\"own\",\"provider\":\"eavs-fake\",\"model\":\"" + FakeLlm.MODEL + "\"}",
                aliceToken);
        assertEquals(201, created.statusCode(), created.body());
        try (SseClient sse =
                new SseClient(d.http, d.api.url("/api/v1/users/me/sessions/own/events"), aliceToken, null)) {
            sse.await(e -> e.name().equals("session.state") && e.data().contains("\"state\":\"idle\""), "idle", WAIT);
            assertEquals(
                    200,
                    d.send("POST", "/api/v1/users/me/sessions/own/prompt", "{\"message\":\"hello\"}", aliceToken)
                            .statusCode());
            sse.await(SseClient.named("agent.idle"), "the end of the run", WAIT);
            String text = sse.events.stream()
                    .filter(e -> e.name().equals("message.delta") && e.data().contains("\"kind\":\"text\""))
                    .map(e -> e.data().replaceAll(".*\"delta\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1"))
                    .collect(Collectors.joining());
            assertEquals("You said: hello", text);
        }
        String models = Files.readString(Path.of("/home/oqto_" + alice + "/.pi/agent/models.json"));
        assertTrue(models.contains("\"baseUrl\":\"http://127.0.0.1:" + portOf(alice) + "/fake/v1\""), models);
        HttpResponse<String> usage = d.send("GET", "/api/v1/users/me/usage", null, aliceToken);
        assertTrue(usage.body().contains("\"requests\":1,"), usage.body());
    }

    @Test
    @Order(3)
    void oneUsersKeyMeansNothingToAnothersEavsAndDeleteForgetsTheMasterKey() throws Exception {
        d.provision(bob);
        String alicesKey = Files.readString(Path.of("/home/oqto_" + alice + "/.config/oqto/eavs.key"))
                .strip();
        HttpResponse<String> refused = d.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portOf(bob) + "/fake/v1/chat/completions"))
                        .header("Authorization", "Bearer " + alicesKey)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"" + FakeLlm.MODEL + "\",\"messages\":[]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("invalid_api_key"), refused.body());
        HttpResponse<String> all = d.send("GET", "/api/v1/admin/usage?days=1", null, d.adminToken);
        assertTrue(all.body().contains("\"owner\":\"" + alice + "\""), all.body());
        HttpResponse<String> status = d.send("GET", "/api/v1/admin/eavs", null, d.adminToken);
        assertTrue(
                status.body().contains("\"reachable\":true") && status.body().contains("one per user: 2"),
                status.body());

        assertEquals(
                200,
                d.send("DELETE", "/api/v1/admin/users/" + alice, null, d.adminToken)
                        .statusCode());
        assertFalse(Files.exists(d.work.resolve("state/eavs/" + alice + ".master-key")));
        assertTrue(Files.exists(d.work.resolve("state/eavs/" + bob + ".master-key")));
    }
}
