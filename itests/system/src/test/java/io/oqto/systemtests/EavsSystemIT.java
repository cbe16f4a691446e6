package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.testing.llm.FakeLlm;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * LLM access through eavs in the multi-user deployment, for real: users provisioned through REST get their own
 * virtual key at the eavs double (owner = the user), their runner keeps it where only they can read it, the real
 * pi answers through eavs with it, and usage shows per user over REST and in the shell; a user over budget is
 * told so; disable, enable and delete revoke and reissue; an eavs that is down fails provisioning at its step
 * with everything undone. No provider key is configured anywhere but in eavs. The tests build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EavsSystemIT {

    private static final Duration WAIT = MultiUserDeployment.WAIT;
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("eavs-[0-9A-Za-z]{32}");

    private MultiUserDeployment d;
    private String alice;
    private String bob;
    private String aliceToken;

    @BeforeAll
    void start() throws Exception {
        // One request costs about $0.02 at the double's prices: the second is over the budget.
        d = new MultiUserDeployment(List.of(), List.of("budget_usd = 0.01", "rpm_limit = 600"));
        alice = d.user("a" + d.tag);
        bob = d.user("b" + d.tag);
    }

    @AfterAll
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    /** eavs's admin API, with its master key, as an operator would ask it. */
    private HttpResponse<String> eavsAdmin(String method, String path) throws Exception {
        return d.http.send(
                HttpRequest.newBuilder(URI.create(d.eavs.baseUrl() + path))
                        .header("Authorization", "Bearer " + MultiUserDeployment.EAVS_MASTER_KEY)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The keys eavs holds for {@code owner}, as {@code key_hash:disabled} pairs (eavs lists them in no order). */
    private java.util.Set<String> keysOf(String owner) throws Exception {
        String all = eavsAdmin("GET", "/admin/keys").body();
        return java.util.Arrays.stream(all.split("\\},\\{\"key_id\""))
                .filter(k -> k.contains("\"owner\":\"" + owner + "\""))
                .map(k -> k.replaceAll("(?s).*\"key_hash\":\"([0-9a-f]+)\".*", "$1") + ":"
                        + k.replaceAll("(?s).*\"disabled\":(true|false).*", "$1"))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static Path keyFile(String user) {
        return Path.of("/home/oqto_" + user + "/.config/oqto/eavs.key");
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** A request through eavs's proxy with {@code key}, as pi would make it; the status. */
    private int throughEavs(String key) throws Exception {
        return d.http.send(
                        HttpRequest.newBuilder(URI.create(d.eavs.baseUrl() + "/fake/v1/chat/completions"))
                                .header("Authorization", "Bearer " + key)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + FakeLlm.MODEL
                                        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    @Order(1)
    void provisioningIssuesTheUsersOwnKeyWhichOnlyTheyCanRead() throws Exception {
        HttpResponse<String> created = d.send(
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"" + alice + "\",\"email\":\"alice@example.com\"}",
                d.adminToken);
        assertEquals(201, created.statusCode(), created.body() + Commands.tails(d.helperLog, d.cpLog));
        assertTrue(created.body().contains("\"wait-for-runner\",\"eavs-key\",\"issue-token\""), created.body());
        aliceToken = created.body().replaceAll(".*\"token\":\"(oqto_[^\"]+)\".*", "$1");
        assertFalse(KEY.matcher(created.body()).find(), "no key in the answer: " + created.body());

        Path key = keyFile(alice);
        assertEquals("oqto_" + alice, Commands.ownerOf(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String secret = Files.readString(key).strip();
        assertEquals(
                java.util.Set.of(sha256(secret) + ":false"),
                keysOf(alice),
                "one key, owned by alice, the one she holds");
        assertFalse(Commands.read(d.cpLog).contains(secret), "the key is not in the control plane's log");

        // A second run converges: no second key.
        HttpResponse<String> again = d.send(
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"" + alice + "\",\"email\":\"alice@example.com\"}",
                d.adminToken);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(java.util.Set.of(sha256(secret) + ":false"), keysOf(alice));

        d.provision(bob);
        Commands.Result peek = Commands.run(
                List.of(
                        "runuser",
                        "-u",
                        "oqto_" + alice,
                        "--",
                        "cat",
                        keyFile(bob).toString()),
                Duration.ofSeconds(30));
        assertNotEquals(0, peek.exit(), "alice cannot read bob's key: " + peek.output());
        assertFalse(KEY.matcher(peek.output()).find(), peek.output());
    }

    @Test
    @Order(2)
    void alicesAgentAnswersThroughEavsAndHerUsageShows() throws Exception {
        HttpResponse<String> offered = d.send("GET", "/api/v1/users/me/models", null, aliceToken);
        assertEquals(
                "{\"models\":[{\"provider\":\"eavs-fake\",\"id\":\"" + FakeLlm.MODEL + "\",\"name\":\"" + FakeLlm.MODEL
                        + "\",\"reasoning\":false}],\"source\":\"eavs\"}",
                offered.body(),
                "eavs's models, written for pi with alice's key");
        HttpResponse<String> created = d.send(
                "POST",
                "/api/v1/users/me/sessions",
                "{\"session\":\"e1\",\"provider\":\"eavs-fake\",\"model\":\"" + FakeLlm.MODEL + "\"}",
                aliceToken);
        assertEquals(201, created.statusCode(), created.body());
        try (SseClient sse =
                new SseClient(d.http, d.api.url("/api/v1/users/me/sessions/e1/events"), aliceToken, null)) {
            SseClient.Event eavsStage = sse.await(
                    e -> e.name().equals("session.starting") && e.data().contains("\"stage\":\"eavs\""),
                    "eavs stage",
                    WAIT);
            assertTrue(eavsStage.data().contains("\"providers\":[\"eavs-fake\"]"), eavsStage.data());
            sse.await(e -> e.name().equals("session.state") && e.data().contains("\"state\":\"idle\""), "idle", WAIT);
            Path models = Path.of("/home/oqto_" + alice + "/.pi/agent/models.json");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(models)));
            assertEquals("oqto_" + alice, Commands.ownerOf(models));

            assertEquals(
                    200,
                    d.send("POST", "/api/v1/users/me/sessions/e1/prompt", "{\"message\":\"hello\"}", aliceToken)
                            .statusCode());
            sse.await(SseClient.named("agent.idle"), "the end of the run", WAIT);
            String text = sse.events.stream()
                    .filter(e -> e.name().equals("message.delta") && e.data().contains("\"kind\":\"text\""))
                    .map(e -> e.data().replaceAll(".*\"delta\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1"))
                    .collect(java.util.stream.Collectors.joining());
            assertEquals("You said: hello", text, "pi answered through eavs");
            assertEquals(1, llm().requests().size(), "one request reached the LLM, through eavs");

            HttpResponse<String> usage = d.send("GET", "/api/v1/users/me/usage", null, aliceToken);
            assertEquals(200, usage.statusCode(), usage.body());
            assertTrue(usage.body().contains("\"owner\":\"" + alice + "\""), usage.body());
            assertTrue(usage.body().contains("\"requests\":1,"), usage.body());
            assertTrue(usage.body().contains("\"model\":\"" + FakeLlm.MODEL + "\""), usage.body());
            assertFalse(KEY.matcher(usage.body()).find(), "no key secret in the usage: " + usage.body());
            assertEquals(
                    403,
                    d.send("GET", "/api/v1/users/" + bob + "/usage", null, aliceToken)
                            .statusCode());
            HttpResponse<String> all = d.send("GET", "/api/v1/admin/usage?days=1", null, d.adminToken);
            assertTrue(all.body().contains("\"owner\":\"" + alice + "\""), all.body());
            Commands.Result shell = d.shell("oqto:usage " + alice);
            assertEquals(0, shell.exit(), shell.output());
            assertTrue(shell.output().contains(alice + ", last 30 days: 1 requests"), shell.output());

            // Over budget now: the next prompt is refused by eavs, and the session says so.
            d.send("POST", "/api/v1/users/me/sessions/e1/prompt", "{\"message\":\"again\"}", aliceToken);
            SseClient.Event refused = sse.await(
                    e -> e.name().equals("session.error") && e.data().contains("\"stage\":\"llm\""),
                    "the refusal",
                    WAIT);
            assertTrue(refused.data().contains("\"code\":\"budget_exceeded\""), refused.data());
            assertTrue(refused.data().contains("budget"), refused.data());
            assertEquals(1, llm().requests().size(), "the refused request did not reach the LLM");
        }
        Commands.Result status = d.shell("oqto:eavs-status");
        assertTrue(status.output().contains("reachable: yes") && status.output().contains("fake"), status.output());
    }

    private FakeLlm llm() {
        return d.llm;
    }

    @Test
    @Order(3)
    void disableRevokesTheKeyEnableIssuesANewOneDeleteRevokesIt() throws Exception {
        String before = Files.readString(keyFile(alice)).strip();
        assertEquals(
                200,
                d.send("POST", "/api/v1/admin/users/" + alice + "/disable", null, d.adminToken)
                        .statusCode());
        assertEquals(401, throughEavs(before), "eavs refuses the revoked key");
        assertEquals(java.util.Set.of(sha256(before) + ":true"), keysOf(alice));

        HttpResponse<String> enabled = d.send("POST", "/api/v1/admin/users/" + alice + "/enable", null, d.adminToken);
        assertEquals(200, enabled.statusCode(), enabled.body() + Commands.tails(d.cpLog));
        String after = Files.readString(keyFile(alice)).strip();
        assertNotEquals(before, after);
        assertEquals(java.util.Set.of(sha256(before) + ":true", sha256(after) + ":false"), keysOf(alice));

        String bobsKey = Files.readString(keyFile(bob)).strip();
        assertEquals(
                200,
                d.send("DELETE", "/api/v1/admin/users/" + bob, null, d.adminToken)
                        .statusCode());
        assertEquals(java.util.Set.of(sha256(bobsKey) + ":true"), keysOf(bob), "bob's key is revoked with him");
        assertEquals(401, throughEavs(bobsKey));
    }

    @Test
    @Order(4)
    void anEavsThatIsDownFailsProvisioningAtItsStepWithEverythingUndone() throws Exception {
        String carol = d.user("c" + d.tag);
        String url = d.eavs.baseUrl();
        d.eavs.close();
        HttpResponse<String> failed = d.send(
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"" + carol + "\",\"email\":\"carol@example.com\"}",
                d.adminToken);
        assertEquals(502, failed.statusCode(), failed.body());
        assertTrue(failed.body().contains("step eavs-key: eavs at " + url + " did not answer"), failed.body());
        assertNotEquals(
                0,
                Commands.run(List.of("id", "-u", "oqto_" + carol), Duration.ofSeconds(10))
                        .exit(),
                "no account left");
        assertEquals(
                404,
                d.send("GET", "/api/v1/admin/users/" + carol, null, d.adminToken)
                        .statusCode());
        assertFalse(Files.exists(Path.of("/home/oqto_" + carol)), "no home left");
    }
}
