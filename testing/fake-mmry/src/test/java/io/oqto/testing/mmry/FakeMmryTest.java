package io.oqto.testing.mmry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The double against mmry's documented HTTP API (services-spec §3.1): shapes, limits, errors, key, embeddings. */
class FakeMmryTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeMmry mmry;

    @BeforeEach
    void start() throws Exception {
        mmry = new FakeMmry(0, "k-123");
    }

    @AfterEach
    void stop() {
        mmry.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mmry.baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(method, path, body, "k-123");
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    @Test
    void memoriesPerStoreWithTheDocumentedShapes() throws Exception {
        JsonNode made = ok(
                        "POST",
                        "/v1/memories?store=proj",
                        "{\"content\":\"use maven\",\"tags\":[\"jvm\"],\"importance\":12}")
                .get("memory");
        String id = made.get("id").asText();
        assertEquals("semantic", made.get("memory_type").asText());
        assertEquals("default", made.get("category").asText());
        assertEquals(10, made.get("importance").asInt(), "clamped to 1..10");
        assertTrue(made.get("embedding").isNull());
        assertEquals(
                "use maven",
                ok("GET", "/v1/memories/" + id + "?store=proj", null)
                        .get("content")
                        .asText(),
                "a bare Memory");
        JsonNode list = ok("GET", "/v1/memories?store=proj&limit=500", null);
        assertEquals(1, list.get("total").asInt());
        assertEquals(100, list.get("limit").asInt(), "clamped to 1..100");
        assertEquals(0, ok("GET", "/v1/memories", null).get("total").asInt(), "the default store is another");
        assertEquals(
                "tabs",
                ok("PUT", "/v1/memories/" + id + "?store=proj", "{\"content\":\"tabs\"}")
                        .get("memory")
                        .get("content")
                        .asText());
        assertEquals(
                true,
                ok("DELETE", "/v1/memories/" + id + "?store=proj", null)
                        .get("deleted")
                        .asBoolean());
        HttpResponse<String> gone = call("GET", "/v1/memories/" + id + "?store=proj", null, "k-123");
        assertEquals(404, gone.statusCode());
        assertEquals("{\"error\":{\"message\":\"Memory not found\"}}", gone.body());
        assertEquals(400, call("GET", "/v1/memories/not-a-uuid", null, "k-123").statusCode());
        assertEquals(400, call("GET", "/v1/memories?store=-bad", null, "k-123").statusCode());
        assertEquals(
                "proj",
                ok("GET", "/v1/stores", null).get("stores").get(0).get("name").asText());
        assertEquals(
                "mmry",
                ok("GET", "/v1/models", null).get("data").get(0).get("owned_by").asText());
    }

    @Test
    void everyRouteNeedsTheKeyAndADownServiceSaysSo() throws Exception {
        HttpResponse<String> r = call("GET", "/v1/models", null, "wrong");
        assertEquals(401, r.statusCode());
        assertEquals("{\"error\":{\"message\":\"Invalid API key\"}}", r.body());
        assertEquals(401, call("GET", "/v1/models", null, null).statusCode());
        mmry.down(true);
        assertEquals(503, call("GET", "/v1/models", null, "k-123").statusCode());
    }

    @Test
    void embeddingsAreDeterministicIndexedAndCloseForSharedWords() throws Exception {
        JsonNode out = ok("POST", "/v1/embeddings", "{\"input\":[\"deploy to staging\",\"lunch at noon\"]}");
        assertEquals(1, out.get("data").get(0).get("index").asInt(), "given back out of order: clients sort by index");
        float[] a = FakeMmry.embed("deploy to staging");
        assertEquals(
                a[0], (float) out.get("data").get(1).get("embedding").get(0).asDouble(), 1e-6);
        assertEquals(FakeMmry.DIMENSION, out.get("data").get(0).get("embedding").size());
        assertTrue(cos(a, FakeMmry.embed("staging: deploy to")) > 0.99, "the same words in another order");
        JsonNode ranked = ok(
                "POST",
                "/v1/rerank",
                "{\"query\":\"staging\",\"documents\":[\"lunch\",\"deploy to staging\"],\"top_n\":1}");
        assertEquals(1, ranked.get("results").get(0).get("index").asInt());
        assertEquals(1, mmry.embeddingRequests());
    }

    private static double cos(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void itServesFromTheExternalApiSectionOfMmrysConfigAndNothingElse(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("config.toml"), """
                [embeddings.remote]
                base_url = "http://10.0.0.5:8081"
                api_key = "central"

                [external_api]
                enabled = true
                host = "127.0.0.1"
                port = 48005
                require_api_key = true
                api_key = "users-own-key"
                """);
        assertEquals(new MmryConfigFile(true, 48005, "users-own-key"), MmryConfigFile.read(config));
        Files.writeString(config, "[embeddings]\nenabled = true\n[external_api]\n# port = 1\n");
        assertEquals(new MmryConfigFile(false, 8081, null), MmryConfigFile.read(config));
    }
}
