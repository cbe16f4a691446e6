package io.oqto.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the OpenAPI document says a route answers when it works: every operation names its success status, and every
 * success with a body describes that body (a frontend's code generator needs both). The classes are the bundle's
 * own {@code @Path} classes, found in its compiled output, so a new resource is checked without being listed here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

    private JsonNode paths;
    private JsonNode schemas;

    @BeforeAll
    void describe() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(OpenApiDocument.json(resourceClasses(), "1.2.3"));
        paths = doc.path("paths");
        schemas = doc.path("components").path("schemas");
    }

    private static List<Class<?>> resourceClasses() throws IOException, ClassNotFoundException {
        Path classes = Path.of(OpenApiDocument.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader());
                if (type.isAnnotationPresent(javax.ws.rs.Path.class)) {
                    found.add(type);
                }
            }
        }
        return found;
    }

    private List<Map.Entry<String, JsonNode>> operations() {
        List<Map.Entry<String, JsonNode>> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
                Map.Entry<String, JsonNode> op = o.next();
                ops.add(Map.entry(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), op.getValue()));
            }
        }
        return ops;
    }

    @Test
    void everyOperationNamesItsSuccessAndDescribesItsBody() {
        List<Map.Entry<String, JsonNode>> ops = operations();
        assertTrue(ops.size() >= 60, "the resource classes were found: " + ops.size() + " operations");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, JsonNode> op : ops) {
            JsonNode responses = op.getValue().path("responses");
            List<String> successes = new ArrayList<>();
            responses.fieldNames().forEachRemaining(code -> {
                if (code.startsWith("2") || code.startsWith("3")) {
                    successes.add(code);
                }
            });
            if (successes.isEmpty()) {
                wrong.add(op.getKey() + ": no success status");
            }
            for (String code : successes) {
                JsonNode content = responses.path(code).path("content");
                if (code.equals("204") || code.startsWith("3")) {
                    if (!content.isMissingNode()) {
                        wrong.add(op.getKey() + " " + code + ": a body where there is none");
                    }
                    continue;
                }
                if (content.isMissingNode() || content.isEmpty()) {
                    wrong.add(op.getKey() + " " + code + ": no body described");
                }
                content.fields().forEachRemaining(media -> {
                    JsonNode schema = media.getValue().path("schema");
                    if (!schema.has("$ref") && !schema.has("type")) {
                        wrong.add(op.getKey() + " " + code + " " + media.getKey() + ": no schema");
                    }
                });
            }
            if (!responses.path("default").path("content").has(ApiProblem.MEDIA_TYPE)) {
                wrong.add(op.getKey() + ": errors not described as problem documents");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void createdResourcesAnswer201WithTheirRecord() {
        assertEquals("#/components/schemas/TokenView", schemaOf("/v1/users/{user}/tokens", "post", "201"));
        assertTrue(
                schemas.path("TokenView").path("properties").has("secret"),
                schemas.path("TokenView").toString());
        assertEquals("#/components/schemas/Session", schemaOf("/v1/users/{user}/sessions", "post", "201"));
        assertEquals("#/components/schemas/ProcessInfo", schemaOf("/v1/users/{user}/processes", "post", "201"));
        assertEquals("#/components/schemas/Terminal", schemaOf("/v1/users/{user}/terminals", "post", "201"));
        assertEquals("#/components/schemas/DirectoryMade", schemaOf("/v1/users/{user}/directories", "post", "201"));
        assertEquals("#/components/schemas/Created", schemaOf("/v1/admin/users", "post", "201"));
        assertEquals("#/components/schemas/Created", schemaOf("/v1/admin/users", "post", "200"), "already there");
    }

    @Test
    void typedAnswersKeepTheirSchemaUnder200AndNothingUnder204() {
        JsonNode list = paths.path("/v1/users/{user}/sessions").path("get").path("responses");
        assertEquals(
                "array",
                list.path("200")
                        .path("content")
                        .path("application/json")
                        .path("schema")
                        .path("type")
                        .asText());
        assertEquals(
                "#/components/schemas/Session",
                list.path("200")
                        .path("content")
                        .path("application/json")
                        .path("schema")
                        .path("items")
                        .path("$ref")
                        .asText());
        JsonNode revoke =
                paths.path("/v1/users/{user}/tokens/{id}").path("delete").path("responses");
        assertTrue(revoke.has("204"), revoke.toString());
        assertFalse(revoke.has("200"), revoke.toString());
    }

    @Test
    void filesAnswerAListingOrTheBytesAndStreamsAreEventStreams() {
        JsonNode file = paths.path("/v1/users/{user}/files/{path}")
                .path("get")
                .path("responses")
                .path("200")
                .path("content");
        assertEquals(
                "#/components/schemas/DirectoryListing",
                file.path("application/json").path("schema").path("$ref").asText());
        assertEquals(
                "binary",
                file.path("application/octet-stream")
                        .path("schema")
                        .path("format")
                        .asText());
        assertTrue(paths.path("/v1/users/{user}/sessions/{id}/events")
                .path("get")
                .path("responses")
                .path("200")
                .path("content")
                .has("text/event-stream"));
        assertTrue(paths.path("/v1/metrics")
                .path("get")
                .path("responses")
                .path("200")
                .path("content")
                .has("text/plain"));
    }

    private String schemaOf(String path, String method, String code) {
        return paths.path(path)
                .path(method)
                .path("responses")
                .path(code)
                .path("content")
                .path("application/json")
                .path("schema")
                .path("$ref")
                .asText();
    }
}
