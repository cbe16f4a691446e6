package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.testing.mmry.FakeMmry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Memories end to end on the embedded ledger, real users, REST only: kept in alice's workspace where only she can
 * read them, invisible to bob's token and to bob's runner, searched by meaning through the central embeddings service
 * (the mmry double) and by words when it is down (saying so), a damaged ledger line read past and reported, and bad
 * input refused with its reason and nothing written. The tests build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemorySystemIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeMmry central;
    private MultiUserDeployment d;
    private String alice;
    private String bob;
    private String aliceToken;
    private String bobToken;
    private String deployId;

    @BeforeAll
    void start() throws Exception {
        central = new FakeMmry(0, null);
        d = new MultiUserDeployment(List.of("[memory]", "embeddings_url = \"" + central.baseUrl() + "\""));
        alice = "m" + d.tag;
        bob = "n" + d.tag;
        aliceToken = d.provision(alice);
        bobToken = d.provision(bob);
    }

    @AfterAll
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
        if (central != null) {
            central.close();
        }
    }

    private JsonNode ok(String method, String path, String body, String token, int status) throws Exception {
        HttpResponse<String> r = d.send(method, path, body, token);
        assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body() + Commands.tails(d.helperLog));
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    private Path ledger() {
        return Path.of("/home/oqto_" + alice + "/oqto/.mmry/mmry.jsonl");
    }

    @Test
    @Order(1)
    void alicesMemoriesAreHersAloneAndFoundByMeaning() throws Exception {
        ok(
                "POST",
                "/api/v1/users/me/memories",
                "{\"content\":\"the coffee machine is on the second floor\"}",
                aliceToken,
                201);
        deployId = ok(
                        "POST",
                        "/api/v1/users/me/memories",
                        "{\"content\":\"deploy with the staging script before production\",\"category\":\"ops\","
                                + "\"tags\":[\"deploy\"],\"importance\":8}",
                        aliceToken,
                        201)
                .path("id")
                .asText();
        assertEquals("oqto_" + alice, Commands.ownerOf(ledger()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ledger())));
        Commands.Result peek = Commands.run(
                List.of("runuser", "-u", "oqto_" + bob, "--", "cat", ledger().toString()), Duration.ofSeconds(30));
        assertNotEquals(0, peek.exit(), "bob cannot read alice's ledger: " + peek.output());

        JsonNode list = ok("GET", "/api/v1/users/me/memories?category=ops", null, aliceToken, 200);
        assertEquals(1, list.path("total").asInt());
        assertEquals("embedded", list.path("store").asText());
        assertEquals(8, list.path("memories").get(0).path("importance").asInt());
        assertEquals(
                403,
                d.send("GET", "/api/v1/users/" + alice + "/memories", null, bobToken)
                        .statusCode(),
                "bob's token cannot read alice's memories");
        assertEquals(
                403,
                d.send("POST", "/api/v1/users/" + alice + "/memories/search", "{\"query\":\"deploy\"}", bobToken)
                        .statusCode());
        assertEquals(
                0,
                ok("GET", "/api/v1/users/me/memories", null, bobToken, 200)
                        .path("total")
                        .asInt(),
                "bob's runner has only bob's workspace");
        assertEquals(
                404,
                d.send("GET", "/api/v1/users/me/memories/" + deployId, null, bobToken)
                        .statusCode());

        JsonNode found =
                ok("POST", "/api/v1/users/me/memories/search", "{\"query\":\"staging deploy\"}", aliceToken, 200);
        assertEquals("hybrid", found.path("mode").asText(), found.toString());
        assertTrue(found.path("degraded").isNull(), found.toString());
        assertEquals(
                deployId, found.path("hits").get(0).path("memory").path("id").asText());
        assertTrue(central.embeddingRequests() >= 2, "the central service embedded the memories and the query");
    }

    @Test
    @Order(2)
    void withTheCentralServiceDownSearchStillAnswersByWordsAndSaysSo() throws Exception {
        central.down(true);
        try {
            JsonNode found = ok(
                    "POST",
                    "/api/v1/users/me/memories/search",
                    "{\"query\":\"staging\",\"mode\":\"semantic\"}",
                    aliceToken,
                    200);
            assertEquals("lexical", found.path("mode").asText());
            assertEquals("semantic", found.path("requested_mode").asText());
            assertEquals(
                    "the central embeddings service at " + central.baseUrl() + " answered 503: ranked by words",
                    found.path("degraded").asText());
            assertEquals(
                    deployId,
                    found.path("hits").get(0).path("memory").path("id").asText());
        } finally {
            central.down(false);
        }
    }

    @Test
    @Order(3)
    void aDamagedLedgerLineIsReadPastAndReported() throws Exception {
        int lines = Files.readAllLines(ledger()).size();
        Files.writeString(ledger(), "{\"type\":\"memory.add\",\"memo\n", StandardOpenOption.APPEND);
        ok("POST", "/api/v1/users/me/memories", "{\"content\":\"written after the damage\"}", aliceToken, 201);
        JsonNode list = ok("GET", "/api/v1/users/me/memories", null, aliceToken, 200);
        assertEquals(3, list.path("total").asInt(), list.toString());
        assertEquals(
                "written after the damage",
                list.path("memories").get(0).path("content").asText());
        assertEquals(
                "line " + (lines + 1) + ": not one JSON object of " + ledger(),
                list.path("problems").get(0).asText());
    }

    @Test
    @Order(4)
    void badInputIsRefusedWithItsReasonAndNothingIsWritten() throws Exception {
        long before = Files.size(ledger());
        assertEquals(
                "\"content\" must not be empty",
                ok("POST", "/api/v1/users/me/memories", "{\"content\":\"\"}", aliceToken, 400)
                        .path("detail")
                        .asText());
        assertEquals(
                "\"content\" is 16001 characters; at most 16000",
                ok("POST", "/api/v1/users/me/memories", "{\"content\":\"" + "x".repeat(16_001) + "\"}", aliceToken, 400)
                        .path("detail")
                        .asText());
        assertEquals(
                "path_not_allowed",
                ok("POST", "/api/v1/users/me/memories", "{\"content\":\"x\",\"workspace\":\"../..\"}", aliceToken, 403)
                        .path("code")
                        .asText());
        assertEquals(
                "not a memory id: \"bad$id\"",
                ok("GET", "/api/v1/users/me/memories/bad%24id", null, aliceToken, 400)
                        .path("detail")
                        .asText());
        assertEquals(
                "\"mode\" must be lexical, semantic or hybrid",
                ok(
                                "POST",
                                "/api/v1/users/me/memories/search",
                                "{\"query\":\"x\",\"mode\":\"psychic\"}",
                                aliceToken,
                                400)
                        .path("detail")
                        .asText());
        assertEquals(before, Files.size(ledger()), "nothing written");
    }
}
