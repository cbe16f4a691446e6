package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One mmry per user, for real: {@code [memory] store = "mmry"} with {@code mmry_url} carrying {@code {port}}.
 * Provisioning opens each user's mmry HTTP API on the port their uid gives, behind a key made for them alone (in
 * their mmry config and in {@code ~/.config/oqto/mmry.key}, both 0600, theirs); the root helper starts that mmry (the
 * double, {@code FakeMmry.main} as {@code mmry service run}) as the user; the user's runner finds it by its own uid and
 * keeps the user's memories there. Any local user can reach a loopback port, so the key is what keeps one user out
 * of another's mmry. The tests build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MmryPerUserSystemIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORT_BASE = 46000 + (int) (System.nanoTime() % 1000);

    private MultiUserDeployment d;
    private String alice;
    private String bob;
    private String aliceToken;
    private String bobToken;
    private String memoryId;

    @BeforeAll
    void start() throws Exception {
        d = new MultiUserDeployment(List.of(
                "[memory]",
                "store = \"mmry\"",
                "mmry_url = \"http://127.0.0.1:{port}\"",
                "mmry_user_port_base = " + PORT_BASE));
        alice = d.user("p" + d.tag);
        bob = d.user("q" + d.tag);
    }

    @AfterAll
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    private int portOf(String user) throws Exception {
        return PORT_BASE + Commands.uidOf("oqto_" + user) - 2000;
    }

    private static Path home(String user) {
        return Path.of("/home/oqto_" + user);
    }

    private static String keyOf(String user) throws Exception {
        return Files.readString(home(user).resolve(".config/oqto/mmry.key")).strip();
    }

    /** A request straight to a user's mmry, as any local process could make it. */
    private HttpResponse<String> mmry(int port, String path, @Nullable String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return d.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean answers(int port) {
        try {
            return mmry(port, "/v1/models", null).statusCode() == 401;
        } catch (Exception e) {
            return false;
        }
    }

    private JsonNode ok(String method, String path, @Nullable String body, String token, int status) throws Exception {
        HttpResponse<String> r = d.send(method, path, body, token);
        assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body() + Commands.tails(d.helperLog));
        return JSON.readTree(r.body());
    }

    @Test
    @Order(1)
    void provisioningOpensEachUsersOwnMmryOnTheirPortBehindTheirOwnKey() throws Exception {
        HttpResponse<String> created = d.send(
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"" + alice + "\",\"email\":\"alice@example.com\"}",
                d.adminToken);
        assertEquals(201, created.statusCode(), created.body() + Commands.tails(d.helperLog, d.cpLog));
        assertTrue(
                created.body().contains("\"steps\":[\"create-user\",\"record\",\"mmry-config\",\"set-linger\""),
                created.body());
        aliceToken = created.body().replaceAll(".*\"token\":\"(oqto_[^\"]+)\".*", "$1");

        Path config = home(alice).resolve(".config/mmry/config.toml");
        Path keyFile = home(alice).resolve(".config/oqto/mmry.key");
        for (Path p : List.of(config, keyFile)) {
            assertEquals("oqto_" + alice, Commands.ownerOf(p), p.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        String key = keyOf(alice);
        assertTrue(key.matches("[A-Za-z0-9_-]{43}"), "32 random bytes");
        String written = Files.readString(config);
        assertTrue(written.contains("port = " + portOf(alice) + "\n"), written);
        assertTrue(written.contains("api_key = \"" + key + "\"\n"), written);
        assertFalse(Commands.read(d.cpLog).contains(key), "the key is not logged");
        assertFalse(Commands.read(d.helperLog).contains(key), "the key is not logged");

        int port = portOf(alice);
        Commands.waitFor("alice's mmry on " + port, MultiUserDeployment.WAIT, () -> answers(port));
        assertEquals(401, mmry(portOf(alice), "/v1/memories", null).statusCode(), "no key, no memories");
        assertEquals(200, mmry(portOf(alice), "/v1/models", key).statusCode(), "her key opens it");
        long pid = Long.parseLong(Commands.runOk(List.of("pgrep", "-u", "oqto_" + alice, "-f", "FakeMmry"))
                .output()
                .strip());
        assertEquals(Commands.uidOf("oqto_" + alice), MultiUserDeployment.uidOfProcess(pid), "it runs as alice");
    }

    @Test
    @Order(2)
    void alicesMemoriesGoToHerMmryAndStayHers() throws Exception {
        memoryId = ok(
                        "POST",
                        "/api/v1/users/me/memories",
                        "{\"content\":\"the release train leaves on thursdays\",\"tags\":[\"release\"]}",
                        aliceToken,
                        201)
                .path("id")
                .asText();
        // In her mmry, in the store of her workspace (the directory's name, ~/oqto).
        HttpResponse<String> stored = mmry(portOf(alice), "/v1/memories?store=oqto", keyOf(alice));
        assertEquals(200, stored.statusCode(), stored.body());
        JsonNode memories = JSON.readTree(stored.body()).path("memories");
        assertEquals(1, memories.size(), stored.body());
        assertEquals(memoryId, memories.get(0).path("id").asText());

        JsonNode list = ok("GET", "/api/v1/users/me/memories", null, aliceToken, 200);
        assertEquals("mmry", list.path("store").asText(), list.toString());
        assertEquals(1, list.path("total").asInt());
        JsonNode found =
                ok("POST", "/api/v1/users/me/memories/search", "{\"query\":\"release train\"}", aliceToken, 200);
        assertEquals(
                memoryId, found.path("hits").get(0).path("memory").path("id").asText(), found.toString());

        bobToken = d.provision(bob);
        int bobsPort = portOf(bob);
        Commands.waitFor("bob's mmry on " + bobsPort, MultiUserDeployment.WAIT, () -> answers(bobsPort));
        assertEquals(
                403,
                d.send("GET", "/api/v1/users/" + alice + "/memories", null, bobToken)
                        .statusCode(),
                "bob's token cannot read alice's memories");
        assertEquals(
                0,
                ok("GET", "/api/v1/users/me/memories", null, bobToken, 200)
                        .path("total")
                        .asInt(),
                "bob's runner reaches bob's mmry");
        assertEquals(
                404,
                d.send("GET", "/api/v1/users/me/memories/" + memoryId, null, bobToken)
                        .statusCode());
        assertEquals(
                401,
                mmry(portOf(alice), "/v1/memories?store=oqto", keyOf(bob)).statusCode(),
                "bob's key means nothing to alice's mmry");
        Commands.Result peek = Commands.run(
                List.of("runuser", "-u", "oqto_" + bob, "--", "cat", home(alice) + "/.config/oqto/mmry.key"),
                Duration.ofSeconds(30));
        assertTrue(peek.exit() != 0, "bob cannot read alice's key: " + peek.output());

        // The doctor asks each user's mmry on its port; a stopped one (SIGSTOP: its port open, nothing answering)
        // is named with its fix, and only that one.
        Commands.Result well = d.doctor();
        assertEquals(
                List.of("ok    mmry of " + alice, "ok    mmry of " + bob),
                HstryHistorySystemIT.linesAbout(well, "mmry of "),
                well.output());
        assertTrue(
                metrics().contains("oqto_user_services{service=\"mmry\",state=\"up\"} 2.0\n"),
                "the metrics count both users' mmry answering");
        Commands.runOk(List.of("pkill", "-STOP", "-u", "oqto_" + bob, "-f", "FakeMmry"));
        try {
            String scrape = metrics();
            assertTrue(scrape.contains("oqto_user_services{service=\"mmry\",state=\"up\"} 1.0\n"), scrape);
            assertTrue(scrape.contains("oqto_user_services{service=\"mmry\",state=\"down\"} 1.0\n"), scrape);
            Commands.Result sick = d.doctor();
            assertEquals(
                    List.of(
                            "ok    mmry of " + alice,
                            "FAIL  mmry of " + bob + ": http://127.0.0.1:" + bobsPort + " does not answer",
                            "      fix: oqtoctl user disable " + bob + " && oqtoctl user enable " + bob
                                    + " (restarts the user's services)"),
                    HstryHistorySystemIT.linesAbout(sick, "mmry of "),
                    sick.output());
        } finally {
            Commands.runOk(List.of("pkill", "-CONT", "-u", "oqto_" + bob, "-f", "FakeMmry"));
        }
    }

    @Test
    @Order(3)
    void deletingAUserStopsTheirMmry() throws Exception {
        int port = portOf(alice);
        assertEquals(
                200,
                d.send("DELETE", "/api/v1/admin/users/" + alice, null, d.adminToken)
                        .statusCode());
        Commands.waitFor("alice's mmry to stop", MultiUserDeployment.WAIT, () -> !answers(port));
        assertTrue(answers(portOf(bob)), "bob's mmry keeps running");
    }

    /** The Prometheus scrape, as an admin. */
    private String metrics() throws Exception {
        HttpResponse<String> r = d.send("GET", "/api/v1/metrics", null, d.adminToken);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
