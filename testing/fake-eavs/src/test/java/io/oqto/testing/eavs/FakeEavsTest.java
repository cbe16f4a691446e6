package io.oqto.testing.eavs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.testing.llm.FakeLlm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The double against its wire facts: admin checks and bodies, keys, the proxy's refusals, usage and cost. */
class FakeEavsTest {

    private static final String MASTER = "master-test-key";
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeLlm llm;
    private FakeEavs eavs;

    @BeforeEach
    void start() throws Exception {
        llm = new FakeLlm(0);
        eavs = new FakeEavs(MASTER, true, URI.create(llm.baseUrl().replaceAll("/v1$", "")), List.of(provider()));
    }

    @AfterEach
    void stop() {
        eavs.close();
        llm.close();
    }

    private static FakeEavs.Provider provider() {
        return new FakeEavs.Provider(
                "fake",
                "openai-compatible",
                "openai-completions",
                List.of(new FakeEavs.Model(FakeLlm.MODEL, 1000, 2000)));
    }

    private HttpResponse<String> call(String method, String path, @Nullable String bearer, @Nullable String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(eavs.baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> r) throws Exception {
        return json.readTree(r.body());
    }

    @Test
    void healthIsAnEmptyOkAndTheAdminApiChecksTheMasterKey() throws Exception {
        HttpResponse<String> health = call("GET", "/health", null, null);
        assertEquals(200, health.statusCode());
        assertEquals("", health.body());
        assertEquals(
                "{\"error\":\"Invalid or missing master key\",\"code\":\"unauthorized\"}",
                call("GET", "/admin/keys", "wrong", null).body());
        assertEquals(401, call("GET", "/admin/keys", null, null).statusCode());
        try (FakeEavs noMaster = new FakeEavs(null, true, URI.create("http://127.0.0.1:9"), List.of(provider()));
                FakeEavs keysOff = new FakeEavs(MASTER, false, URI.create("http://127.0.0.1:9"), List.of(provider()))) {
            HttpResponse<String> disabled = http.send(
                    HttpRequest.newBuilder(URI.create(noMaster.baseUrl() + "/admin/keys"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, disabled.statusCode());
            assertEquals(
                    "{\"error\":\"Admin API is disabled (no master key configured)\",\"code\":\"admin_disabled\"}",
                    disabled.body());
            HttpResponse<String> off = http.send(
                    HttpRequest.newBuilder(URI.create(keysOff.baseUrl() + "/admin/keys"))
                            .header("Authorization", "Bearer " + MASTER)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, off.statusCode());
            assertEquals("keys_disabled", body(off).path("code").asText());
        }
    }

    @Test
    void aKeyIsShownOnceFoundByIdOrHashAndRevokedBySoftDisable() throws Exception {
        JsonNode created =
                body(call("POST", "/admin/keys", MASTER, "{\"name\":\"oqto-user-alice\",\"owner\":\"alice\"}"));
        String key = created.path("key").asText();
        assertTrue(key.matches("eavs-[0-9A-Za-z]{32}"), key);
        assertEquals("alice", created.path("owner").asText());
        assertEquals(60, created.path("permissions").path("rpm_limit").asInt(), "defaults filled in");
        assertEquals(50.0, created.path("permissions").path("max_budget_usd").asDouble());
        String id = created.path("key_id").asText();
        String hash = created.path("key_hash").asText();
        assertEquals(64, hash.length());
        assertEquals(
                id,
                body(call("GET", "/admin/keys/" + hash, MASTER, null))
                        .path("key_id")
                        .asText());
        JsonNode listed = body(call("GET", "/admin/keys", MASTER, null));
        assertEquals(1, listed.size());
        assertTrue(listed.get(0).path("key").isMissingNode(), "the key itself is never listed");
        assertEquals(204, call("DELETE", "/admin/keys/" + id, MASTER, null).statusCode());
        assertTrue(body(call("GET", "/admin/keys/" + id, MASTER, null))
                .path("disabled")
                .asBoolean());
        assertEquals(
                "{\"error\":\"Key not found: no-such\",\"code\":\"not_found\"}",
                call("GET", "/admin/keys/no-such", MASTER, null).body());
    }

    @Test
    void theProxyForwardsWithAValidKeyRecordsUsageAndRefusesTheRest() throws Exception {
        JsonNode created = body(call("POST", "/admin/keys", MASTER, "{\"owner\":\"alice\"}"));
        String key = created.path("key").asText();
        String chat = "{\"model\":\"" + FakeLlm.MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}";
        HttpResponse<String> answer = call("POST", "/fake/v1/chat/completions", key, chat);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("fake", answer.headers().firstValue("x-eavs-provider").orElse(""));
        assertTrue(answer.body().contains("data: [DONE]"), answer.body());
        JsonNode usage =
                body(call("GET", "/admin/keys/" + created.path("key_id").asText() + "/usage", MASTER, null));
        assertEquals(1, usage.size());
        assertEquals(12, usage.get(0).path("input_tokens").asLong());
        long output = usage.get(0).path("output_tokens").asLong();
        assertTrue(output > 0);
        assertEquals(
                (12 * 1000 + output * 2000) / 1_000_000.0,
                usage.get(0).path("cost_usd").asDouble(),
                1e-12);
        JsonNode owners = body(call("GET", "/admin/usage/by-owner?owner=alice", MASTER, null));
        assertEquals("alice", owners.get(0).path("owner").asText());
        assertEquals(1, owners.get(0).path("requests").asLong());

        assertEquals(
                "{\"error\":{\"message\":\"Missing API key\",\"type\":\"authentication_error\",\"code\":\"missing_api_key\"}}",
                call("POST", "/fake/v1/chat/completions", null, chat).body());
        assertEquals(
                "invalid_api_key", refusal(call("POST", "/fake/v1/chat/completions", "eavs-" + "x".repeat(32), chat)));
        assertEquals("invalid_provider", refusal(call("POST", "/nope/v1/chat/completions", key, chat)));
        call("DELETE", "/admin/keys/" + created.path("key_id").asText(), MASTER, null);
        HttpResponse<String> revoked = call("POST", "/fake/v1/chat/completions", key, chat);
        assertEquals(401, revoked.statusCode());
        assertEquals("key_disabled", refusal(revoked));
    }

    @Test
    void aKeyOverItsBudgetIsRefusedWithBudgetExceeded() throws Exception {
        String key = body(call("POST", "/admin/keys", MASTER, "{\"permissions\":{\"max_budget_usd\":0.000001}}"))
                .path("key")
                .asText();
        String chat = "{\"model\":\"" + FakeLlm.MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}";
        assertEquals(200, call("POST", "/fake/v1/chat/completions", key, chat).statusCode(), "spends past the budget");
        HttpResponse<String> over = call("POST", "/fake/v1/chat/completions", key, chat);
        assertEquals(429, over.statusCode());
        assertEquals("budget_exceeded", refusal(over));
    }

    @Test
    void providerDetailsCarryPisApiAndModelCosts() throws Exception {
        JsonNode detail = body(call("GET", "/providers/detail", null, null));
        assertEquals("fake", detail.get(0).path("name").asText());
        assertEquals("openai-completions", detail.get(0).path("pi_api").asText());
        assertEquals(
                FakeLlm.MODEL, detail.get(0).path("models").get(0).path("id").asText());
        assertEquals(
                1000.0,
                detail.get(0).path("models").get(0).path("cost").path("input").asDouble());
    }

    private String refusal(HttpResponse<String> r) throws Exception {
        return body(r).path("error").path("code").asText();
    }
}
