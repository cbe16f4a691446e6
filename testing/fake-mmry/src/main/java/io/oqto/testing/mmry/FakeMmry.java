package io.oqto.testing.mmry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * mmry's HTTP "external API" (services-spec §3.1, §3.4), in memory: {@code /v1/memories} CRUD per store with the
 * exact shapes, limits and errors ({@code {"error":{"message":…}}}), {@code /v1/stores}, {@code /v1/models},
 * {@code /v1/embeddings} with deterministic vectors (a hash of each word into {@link #DIMENSION} dimensions, so texts
 * sharing words are close) and {@code /v1/rerank}; with a key, every route needs {@code Authorization: Bearer <key>}.
 * The same double serves as a user's mmry daemon and as the central embeddings service. No HTTP search, as in the
 * version read. It can be told to fail (503) until told otherwise, as a service that is down would.
 */
public final class FakeMmry implements AutoCloseable {

    static {
        // Small answers to small requests: without TCP_NODELAY, Nagle's algorithm meets the client's delayed ACK and
        // each answer waits ~40 ms, a delay of the double and not of what it stands for. Read once, when the JDK's
        // server is first used, so set before any server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public static final int DIMENSION = 8;
    public static final String MODEL = "fake-embed-8";
    private static final Pattern STORE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;
    private final @Nullable String key;
    /** store → id → memory (insertion order = creation order). */
    private final Map<String, Map<String, ObjectNode>> stores = new ConcurrentHashMap<>();

    private final AtomicInteger embeddingRequests = new AtomicInteger();
    private volatile boolean down;

    /** On 127.0.0.1 at {@code port} (0: a free one); {@code key} null: no key needed. */
    public FakeMmry(int port, @Nullable String key) throws IOException {
        this.key = key;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-mmry");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    /**
     * {@code mmry service run} as the user's mmry service: the HTTP external API from {@code
     * $XDG_CONFIG_HOME/mmry/config.toml} (else {@code ~/.config/mmry/config.toml}) when it is enabled there; without
     * it, mmry would serve only gRPC, which the double does not, so it just runs until it is stopped.
     */
    public static void main(String[] args) throws Exception {
        if (!List.of(args).equals(List.of("service", "run"))) {
            System.err.println("usage: mmry service run");
            System.exit(2);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path file = (xdg != null && xdg.startsWith("/")
                        ? Path.of(xdg)
                        : Path.of(System.getProperty("user.home"), ".config"))
                .resolve("mmry/config.toml");
        MmryConfigFile config = Files.exists(file) ? MmryConfigFile.read(file) : new MmryConfigFile(false, 8081, null);
        if (config.enabled()) {
            FakeMmry mmry = new FakeMmry(config.port(), config.key());
            System.out.println("fake mmry at " + mmry.baseUrl() + " (" + file + ")");
        } else {
            System.out.println("fake mmry: no [external_api] in " + file + ", nothing to serve");
        }
        Thread.currentThread().join();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** While true, every route answers 503 as an unavailable service. */
    public void down(boolean down) {
        this.down = down;
    }

    /** How many {@code /v1/embeddings} requests were answered. */
    public int embeddingRequests() {
        return embeddingRequests.get();
    }

    /** The deterministic embedding of {@code text}: each word hashed into one of the dimensions, normalised. */
    public static float[] embed(String text) {
        float[] v = new float[DIMENSION];
        for (String w : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+", -1)) {
            if (!w.isEmpty()) {
                v[Math.floorMod(hash(w), DIMENSION)] += 1;
            }
        }
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / Math.sqrt(norm));
            }
        }
        return v;
    }

    private static int hash(String word) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(word.getBytes(StandardCharsets.UTF_8));
            return ((d[0] & 0xff) << 8) | (d[1] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            if (down) {
                error(ex, 503, "Service unavailable");
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (key != null && !("Bearer " + key).equals(auth)) {
                error(ex, 401, "Invalid API key");
                return;
            }
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            String method = ex.getRequestMethod();
            if (path.equals("/v1/models") && method.equals("GET")) {
                ObjectNode model = json.createObjectNode()
                        .put("id", MODEL)
                        .put("object", "model")
                        .put("created", 0)
                        .put("owned_by", "mmry");
                ObjectNode out = json.createObjectNode().put("object", "list");
                out.putArray("data").add(model);
                send(ex, 200, out);
            } else if (path.equals("/v1/embeddings") && method.equals("POST")) {
                embeddings(ex);
            } else if (path.equals("/v1/rerank") && method.equals("POST")) {
                rerank(ex);
            } else if (path.equals("/v1/stores") && method.equals("GET")) {
                ObjectNode out = json.createObjectNode().put("default", "default");
                ArrayNode list = out.putArray("stores");
                stores.forEach((name, memories) -> list.addObject()
                        .put("name", name)
                        .put("path", "/fake/" + name)
                        .put("memory_count", memories.size())
                        .put("is_default", name.equals("default")));
                send(ex, 200, out);
            } else if (path.equals("/v1/memories")) {
                String store = query.getOrDefault("store", "default");
                if (!STORE.matcher(store).matches()) {
                    error(ex, 400, "Invalid store name: " + store);
                } else if (method.equals("GET")) {
                    list(ex, store, query);
                } else if (method.equals("POST")) {
                    create(ex, store);
                } else {
                    error(ex, 405, "Method not allowed");
                }
            } else if (path.startsWith("/v1/memories/")) {
                one(ex, path.substring("/v1/memories/".length()), query.getOrDefault("store", "default"), method);
            } else {
                error(ex, 404, "Not found");
            }
        } catch (RuntimeException e) {
            error(ex, 500, "Internal error: " + e.getMessage());
        }
    }

    private void list(HttpExchange ex, String store, Map<String, String> query) throws IOException {
        int limit = Math.max(1, Math.min(100, parse(query.get("limit"), 50)));
        int offset = Math.max(0, parse(query.get("offset"), 0));
        String category = query.get("category");
        List<ObjectNode> all =
                new ArrayList<>(stores.getOrDefault(store, Map.of()).values());
        all.sort(Comparator.comparing((ObjectNode m) -> m.get("created_at").asText())
                .reversed());
        List<ObjectNode> matching = all.stream()
                .filter(m ->
                        category == null || category.equals(m.get("category").asText()))
                .toList();
        ObjectNode out = json.createObjectNode();
        ArrayNode page = out.putArray("memories");
        matching.stream().skip(offset).limit(limit).forEach(page::add);
        out.put("total", stores.getOrDefault(store, Map.of()).size())
                .put("offset", offset)
                .put("limit", limit);
        send(ex, 200, out);
    }

    private void create(HttpExchange ex, String store) throws IOException {
        JsonNode body = json.readTree(ex.getRequestBody());
        String content = body.path("content").asText("");
        if (content.isEmpty()) {
            error(ex, 400, "content is required");
            return;
        }
        if (content.length() > 16_000) {
            error(ex, 400, "Input too long: " + content.length() + " characters (max 16000)");
            return;
        }
        String now = Instant.now().toString();
        ObjectNode m = json.createObjectNode();
        m.put("id", UUID.randomUUID().toString())
                .put("memory_type", "semantic")
                .put("content", content)
                .putNull("embedding")
                .putNull("sparse_embedding");
        m.putObject("metadata");
        m.put("importance", Math.max(1, Math.min(10, body.path("importance").asInt(5))))
                .put("helpful_count", 0)
                .put("harmful_count", 0)
                .put("created_at", now)
                .put("updated_at", now)
                .put("category", body.path("category").asText("default"));
        ArrayNode tags = m.putArray("tags");
        body.path("tags").forEach(t -> tags.add(t.asText()));
        m.putNull("parent_id").putNull("chunk_index").putNull("total_chunks").put("store", store);
        stores.computeIfAbsent(store, s -> new LinkedHashMap<>())
                .put(m.get("id").asText(), m);
        ObjectNode out = json.createObjectNode();
        out.set("memory", m);
        send(ex, 200, out);
    }

    private void one(HttpExchange ex, String id, String queryStore, String method) throws IOException {
        if (!UUID_TEXT.matcher(id).matches()) {
            error(ex, 400, "Invalid memory ID: " + id);
            return;
        }
        // PUT names its store in the body (§3.1); the others in the query.
        JsonNode body = method.equals("PUT") ? json.readTree(ex.getRequestBody()) : json.createObjectNode();
        String store = body.path("store").asText(queryStore);
        Map<String, ObjectNode> memories = stores.getOrDefault(store, Map.of());
        ObjectNode m = memories.get(id);
        if (m == null) {
            error(ex, 404, "Memory not found");
            return;
        }
        switch (method) {
            case "GET" -> send(ex, 200, m);
            case "PUT" -> {
                if (body.has("content")) {
                    m.put("content", body.get("content").asText());
                }
                if (body.has("category")) {
                    m.put("category", body.get("category").asText());
                }
                if (body.has("importance")) {
                    m.put(
                            "importance",
                            Math.max(1, Math.min(10, body.get("importance").asInt())));
                }
                if (body.has("tags")) {
                    ArrayNode tags = m.putArray("tags");
                    body.get("tags").forEach(t -> tags.add(t.asText()));
                }
                m.put("updated_at", Instant.now().toString());
                ObjectNode out = json.createObjectNode();
                out.set("memory", m);
                send(ex, 200, out);
            }
            case "DELETE" -> {
                memories.remove(id);
                send(ex, 200, json.createObjectNode().put("deleted", true).put("id", id));
            }
            default -> error(ex, 405, "Method not allowed");
        }
    }

    private void embeddings(HttpExchange ex) throws IOException {
        JsonNode body = json.readTree(ex.getRequestBody());
        List<String> inputs = new ArrayList<>();
        if (body.path("input").isArray()) {
            body.get("input").forEach(i -> inputs.add(i.asText()));
        } else if (body.path("input").isTextual()) {
            inputs.add(body.get("input").asText());
        } else {
            error(ex, 400, "input is required");
            return;
        }
        if (inputs.size() > 64) {
            error(ex, 400, "Batch too large: " + inputs.size() + " (max 64)");
            return;
        }
        embeddingRequests.incrementAndGet();
        ObjectNode out = json.createObjectNode().put("object", "list").put("model", MODEL);
        ArrayNode data = out.putArray("data");
        // Answered in reverse order: a client must put them back by index, as mmry's does.
        for (int i = inputs.size() - 1; i >= 0; i--) {
            ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode v = e.putArray("embedding");
            for (float f : embed(inputs.get(i))) {
                v.add(f);
            }
        }
        send(ex, 200, out);
    }

    private void rerank(HttpExchange ex) throws IOException {
        JsonNode body = json.readTree(ex.getRequestBody());
        float[] q = embed(body.path("query").asText(""));
        List<ObjectNode> results = new ArrayList<>();
        int i = 0;
        for (JsonNode d : body.path("documents")) {
            float[] v = embed(d.asText());
            double score = 0;
            for (int k = 0; k < DIMENSION; k++) {
                score += q[k] * v[k];
            }
            results.add(json.createObjectNode()
                    .put("index", i++)
                    .put("document", d.asText())
                    .put("relevance_score", score));
        }
        results.sort(Comparator.comparingDouble(
                        (ObjectNode r) -> r.get("relevance_score").asDouble())
                .reversed());
        int top = body.path("top_n").asInt(results.size());
        ObjectNode out = json.createObjectNode().put("model", "fake-rerank");
        ArrayNode list = out.putArray("results");
        results.stream().limit(top).forEach(list::add);
        send(ex, 200, out);
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static int parse(@Nullable String s, int dflt) {
        try {
            return s == null ? dflt : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private void error(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode out = json.createObjectNode();
        out.putObject("error").put("message", message);
        send(ex, status, out);
    }

    private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
