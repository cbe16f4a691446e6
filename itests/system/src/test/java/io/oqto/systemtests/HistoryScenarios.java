package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.testing.llm.FakeLlm;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Chat history end to end, the same scenarios on each store: real users provisioned through REST, their runners
 * supervised by the root helper, the real pi against the fake LLM; the test speaks REST and SSE only (and kills
 * processes). Turns are kept with their parts, searched, kept from other users, survive a {@code kill -9} of the
 * runner right after {@code agent.idle}, and the restarted runner lists and resumes the earlier session. The tests
 * build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HistoryScenarios {

    static final Duration WAIT = MultiUserDeployment.WAIT;
    static final ObjectMapper JSON = new ObjectMapper();

    MultiUserDeployment d;
    String alice;
    String bob;
    String aliceToken;
    String bobToken;
    SseClient events;

    /** Whether the users' history is in hstry (the double) rather than the embedded store. */
    abstract boolean hstry();

    @BeforeAll
    void start() throws Exception {
        d = new MultiUserDeployment(List.of(), null, false, hstry());
        alice = "h" + d.tag;
        bob = "i" + d.tag;
        aliceToken = d.provision(alice);
        bobToken = d.provision(bob);
        for (String token : List.of(aliceToken, bobToken)) {
            // The runner installs its store's feature as it starts, and hstry starts beside it.
            Commands.waitFor(
                    "history answering",
                    WAIT,
                    () -> {
                        try {
                            return d.send("GET", "/api/v1/users/me/history", null, token)
                                            .statusCode()
                                    == 200;
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    d.helperLog);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (events != null) {
            events.close();
        }
        if (d != null) {
            d.close();
        }
    }

    JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> r = d.send("GET", path, null, token);
        assertEquals(200, r.statusCode(), path + ": " + r.body() + Commands.tails(d.helperLog, d.cpLog));
        return JSON.readTree(r.body());
    }

    /** Prompts session {@code id} and waits for the run's end: the {@code n}th {@code agent.idle} on the stream. */
    void turn(String id, String message, int n) throws Exception {
        HttpResponse<String> r = d.send(
                "POST",
                "/api/v1/users/me/sessions/" + id + "/prompt",
                JSON.writeValueAsString(java.util.Map.of("message", message)),
                aliceToken);
        assertEquals(200, r.statusCode(), r.body());
        events.await(
                e -> events.events.stream()
                                .filter(x -> x.name().equals("agent.idle"))
                                .count()
                        >= n,
                "the end of run " + n,
                WAIT);
    }

    /** The subscription to session {@code id}'s events, once it is idle. */
    void follow(String id) throws Exception {
        if (events != null) {
            events.close();
        }
        events = new SseClient(d.http, d.api.url("/api/v1/users/me/sessions/" + id + "/events"), aliceToken, null);
        events.await(e -> e.name().equals("session.state") && e.data().contains("\"state\":\"idle\""), "idle", WAIT);
    }

    List<JsonNode> messages(String id) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        get("/api/v1/users/me/history/" + id + "/messages?limit=1000", aliceToken)
                .path("messages")
                .forEach(all::add);
        return all;
    }

    static List<String> contents(List<JsonNode> messages) {
        return messages.stream()
                .map(m -> m.path("role").asText() + ": " + m.path("content").asText())
                .toList();
    }

    long runnerPid() throws Exception {
        return get("/api/v1/users/me/runner", aliceToken).path("pid").asLong();
    }

    @Test
    @Order(1)
    void threeTurnsWithAToolCallAreKeptWithTheirPartsSearchableAndOnlyForTheirUser() throws Exception {
        HttpResponse<String> created = d.send(
                "POST",
                "/api/v1/users/me/sessions",
                "{\"session\":\"h1\",\"provider\":\"fake\",\"model\":\"" + FakeLlm.MODEL + "\"}",
                aliceToken);
        assertEquals(201, created.statusCode(), created.body());
        follow("h1");
        turn("h1", "hello", 1);
        turn("h1", "run: echo striped-zebra", 2);
        turn("h1", "bye", 3);

        List<JsonNode> all = messages("h1");
        assertEquals(
                List.of(
                        "user: hello",
                        "assistant: You said: hello",
                        "user: run: echo striped-zebra",
                        "assistant:",
                        "tool: striped-zebra",
                        "assistant: The command printed: striped-zebra",
                        "user: bye",
                        "assistant: You said: bye"),
                contents(all).stream().map(String::strip).toList());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i, all.get(i).path("idx").asInt(), "idx owned by the writer, without gaps");
        }
        JsonNode call = all.get(3).path("parts").get(0);
        assertEquals("tool_call", call.path("type").asText(), all.get(3).toString());
        assertEquals("bash", call.path("name").asText());
        assertEquals("echo striped-zebra", call.path("input").path("command").asText());
        JsonNode result = all.get(4).path("parts").get(0);
        assertEquals("tool_result", result.path("type").asText(), all.get(4).toString());
        assertEquals(call.path("toolCallId").asText(), result.path("toolCallId").asText());
        assertEquals("fake/" + FakeLlm.MODEL, all.get(1).path("model").asText());

        JsonNode list = get("/api/v1/users/me/history", aliceToken);
        assertEquals(
                hstry() ? "hstry" : "embedded",
                list.path("history").path("store").asText(),
                list.toString());
        JsonNode h1 = list.path("conversations").get(0);
        assertEquals("h1", h1.path("id").asText());
        assertEquals(8, h1.path("messages").asInt());
        assertEquals(true, h1.path("running").asBoolean());

        JsonNode tail = get("/api/v1/users/me/history/h1/messages?tail=true&limit=2", aliceToken);
        assertEquals(
                List.of(6, 7),
                List.of(
                        tail.path("messages").get(0).path("idx").asInt(),
                        tail.path("messages").get(1).path("idx").asInt()));
        assertEquals(true, tail.path("more").asBoolean());

        JsonNode hits =
                get("/api/v1/users/me/history/search?q=zebra", aliceToken).path("hits");
        assertTrue(hits.size() >= 1, hits.toString());
        for (JsonNode h : hits) {
            assertEquals("h1", h.path("conversation").asText());
            assertTrue(h.path("idx").asInt() >= 2 && h.path("idx").asInt() <= 5, "a word from turn two: " + h);
        }
        JsonNode userHits = get("/api/v1/users/me/history/search?q=zebra&role=user", aliceToken)
                .path("hits");
        assertEquals(1, userHits.size(), userHits.toString());
        assertEquals(2, userHits.get(0).path("idx").asInt());

        for (String path : List.of("/history", "/history/h1", "/history/h1/messages", "/history/search?q=zebra")) {
            assertEquals(
                    403,
                    d.send("GET", "/api/v1/users/" + alice + path, null, bobToken)
                            .statusCode(),
                    "bob cannot read alice's " + path);
        }
        assertEquals(
                0,
                get("/api/v1/users/me/history", bobToken).path("conversations").size(),
                "bob's own is empty");
        assertEquals(
                404,
                d.send("GET", "/api/v1/users/me/history/h1", null, bobToken).statusCode(),
                "nor is alice's conversation in bob's history");
    }

    @Test
    @Order(2)
    void aKillNineRightAfterIdleLosesNothingAndTheRestartedRunnerResumesTheSession() throws Exception {
        long before = runnerPid();
        turn("h1", "remember giraffe", 4);
        Commands.runOk(List.of("kill", "-9", Long.toString(before)));
        Commands.waitFor(
                "the helper's restart of the runner",
                WAIT,
                () -> {
                    try {
                        long now = runnerPid();
                        return now > 0 && now != before;
                    } catch (Throwable e) {
                        return false;
                    }
                },
                d.helperLog);
        List<JsonNode> kept = messages("h1");
        assertEquals(10, kept.size(), contents(kept).toString());
        assertEquals("user: remember giraffe", contents(kept).get(8));
        assertEquals("assistant: You said: remember giraffe", contents(kept).get(9));

        JsonNode listed = get("/api/v1/users/me/sessions", aliceToken);
        JsonNode earlier = null;
        for (JsonNode s : listed) {
            if (s.path("id").asText().equals("h1")) {
                earlier = s;
            }
        }
        assertTrue(earlier != null, listed.toString());
        assertEquals("stopped", earlier.path("state").asText());
        assertEquals(true, earlier.path("resumable").asBoolean(), earlier.toString());
        assertEquals(10, earlier.path("messages").asInt());

        HttpResponse<String> resumed = d.send("POST", "/api/v1/users/me/sessions", "{\"resume\":\"h1\"}", aliceToken);
        assertEquals(201, resumed.statusCode(), resumed.body());
        follow("h1");
        assertTrue(
                events.events.stream()
                        .anyMatch(e -> e.name().equals("session.resumed")
                                && e.data().contains("\"messages\":10")
                                && e.data().contains("\"agent_context\":true")),
                events.events.toString());
        int asked = d.llm.requests().size();
        turn("h1", "what was the animal?", 1);
        assertTrue(
                d.llm.requests()
                        .get(d.llm.requests().size() - 1)
                        .body()
                        .toString()
                        .contains("remember giraffe"),
                "pi continued its own context");
        assertEquals(asked + 1, d.llm.requests().size());
        List<JsonNode> after = messages("h1");
        assertEquals(12, after.size(), contents(after).toString());
        assertEquals("user: what was the animal?", contents(after).get(10));
        assertNotEquals(before, runnerPid());
    }

    @Test
    @Order(4)
    void upgradeRunnersRestartsTheRunnerSaysWhatEndedAndResumesTheSession() throws Exception {
        long before = runnerPid();
        assertEquals(
                201,
                d.send(
                                "POST",
                                "/api/v1/users/me/processes",
                                "{\"name\":\"sleeper\",\"argv\":[\"/bin/sleep\",\"300\"]}",
                                aliceToken)
                        .statusCode());
        int kept = messages("h1").size();
        Commands.Result r = Commands.run(
                List.of(d.controlPlane.home.resolve("bin/oqtoctl").toString(), "upgrade-runners", "--user", alice),
                Duration.ofMinutes(3));
        assertEquals(0, r.exit(), r.output());
        long after = runnerPid();
        assertNotEquals(before, after, "a new runner");
        List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(4, lines.size(), r.output());
        assertEquals(
                alice + ": runner restarted (pid " + before + " -> " + after
                        + ", version 0.1.0.SNAPSHOT -> 0.1.0.SNAPSHOT)",
                lines.get(0));
        assertTrue(
                lines.get(1).startsWith("  ended: session h1, ") && lines.get(1).contains("process sleeper"),
                r.output());
        assertEquals("  resumed: session h1", lines.get(2));
        assertEquals("1 runner(s) restarted", lines.get(3));
        Commands.waitFor(
                "the old runner's process ended with it",
                WAIT,
                () -> !Commands.running("oqto_" + alice, "/bin/sleep 300"),
                d.helperLog);

        // The resumed session goes on where it was, its context and history whole.
        follow("h1");
        turn("h1", "after the runner upgrade", 1);
        List<JsonNode> all = messages("h1");
        assertEquals(kept + 2, all.size(), contents(all).toString());
        assertEquals(
                "assistant: You said: after the runner upgrade", contents(all).get(kept + 1));
    }
}
