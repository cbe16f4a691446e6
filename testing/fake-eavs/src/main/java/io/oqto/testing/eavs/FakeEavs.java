package io.oqto.testing.eavs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for eavs, the per-user LLM proxy, faithful to its wire facts: {@code GET /health} (200, empty),
 * {@code GET /providers/detail}, the admin key API under {@code /admin} (master key as bearer; {@code 403
 * admin_disabled} without one configured, {@code 401 unauthorized} otherwise, {@code 503 keys_disabled} when
 * keys are off; {@code {"error","code"}} bodies), and the proxy {@code /{provider}/v1/...} (and
 * {@code /v1/...}), which checks the {@code eavs-} virtual key with OpenAI-style refusals, forwards to an
 * upstream OpenAI-compatible server (the fake LLM), streams its answer back and records the request's usage
 * priced from the provider's model costs.
 */
public final class FakeEavs implements AutoCloseable {

    static {
        // Streamed answers are many small writes: without TCP_NODELAY, Nagle's algorithm meets the client's delayed
        // ACK and every answer waits ~40 ms, a delay of the double and not of what it stands for. Read once, when
        // the JDK's server is first used, so set before any server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** A provider it serves: its eavs name and type, pi's api, the models with their costs per million tokens. */
    public record Provider(String name, String type, String piApi, List<Model> models) {}

    /** A model of a provider: id and price per million input and output tokens. */
    public record Model(String id, double inputCost, double outputCost) {}

    private static final Pattern PROXY = Pattern.compile("/(?:([A-Za-z0-9_.-]+)/)?v1/(.*)");
    private static final Pattern KEY_PATH = Pattern.compile("/admin/keys/([^/]+)(/usage)?");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final HttpClient upstreamClient = HttpClient.newHttpClient();
    private final VirtualKeys keys = new VirtualKeys(60, 50.0);
    private final @Nullable String masterKey;
    private final boolean keysEnabled;
    private final URI upstream;
    private final List<Provider> providers;

    /**
     * @param masterKey the admin API's key; null disables the admin API, as eavs without one
     * @param upstream where proxied requests go, e.g. the fake LLM's {@code http://127.0.0.1:PORT}
     */
    public FakeEavs(@Nullable String masterKey, boolean keysEnabled, URI upstream, List<Provider> providers)
            throws IOException {
        this(0, masterKey, keysEnabled, upstream, providers);
    }

    /** @param port where to listen on 127.0.0.1, 0 for any free port */
    public FakeEavs(int port, @Nullable String masterKey, boolean keysEnabled, URI upstream, List<Provider> providers)
            throws IOException {
        this.masterKey = masterKey;
        this.keysEnabled = keysEnabled;
        this.upstream = upstream;
        this.providers = List.copyOf(providers);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-eavs");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::serve);
        server.start();
    }

    /**
     * {@code eavs serve} as a user service runs it: the config from {@code $XDG_CONFIG_HOME/eavs/config.toml}
     * (else {@code ~/.config/eavs/config.toml}) — {@code [server] port}, {@code [keys] master_key = "env:NAME"} and
     * each {@code [providers.<name>]} with {@code type}, {@code base_url} (the upstream, the same for all) and
     * {@code models} — the master key from the environment. Only the keys the per-user mode writes are read.
     */
    public static void main(String[] args) throws Exception {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        java.nio.file.Path file = (xdg != null && xdg.startsWith("/")
                        ? java.nio.file.Path.of(xdg)
                        : java.nio.file.Path.of(System.getProperty("user.home"), ".config"))
                .resolve("eavs/config.toml");
        EavsConfigFile config = EavsConfigFile.read(file);
        String master = config.masterKeyEnv() == null ? null : System.getenv(config.masterKeyEnv());
        FakeEavs eavs = new FakeEavs(config.port(), master, true, config.upstream(), config.providers());
        System.out.println("fake eavs at " + eavs.baseUrl() + " (" + file + ")");
        Thread.currentThread().join();
    }

    /**
     * The usual set-up of the tests: one provider {@code fake} (type {@code openai-compatible}) with one model at
     * $1000 per million input tokens and $2000 per million output tokens, in front of an LLM.
     *
     * @param llmBaseUrl the LLM's OpenAI base URL, such as the fake LLM's {@code http://127.0.0.1:PORT/v1}
     */
    public static FakeEavs inFrontOf(String llmBaseUrl, String model, String masterKey) throws IOException {
        return new FakeEavs(
                masterKey,
                true,
                URI.create(llmBaseUrl.replaceAll("/v1/?$", "")),
                List.of(new Provider(
                        "fake", "openai-compatible", "openai-completions", List.of(new Model(model, 1000, 2000)))));
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Records a request of the key with {@code keyHash} at {@code at}, as if it had gone through the proxy then:
     * usage history for tests of periods and days.
     */
    public void recordUsage(
            String keyHash, Instant at, String provider, String model, long input, long output, double cost) {
        VirtualKeys.Key k = keys.find(keyHash).orElseThrow(() -> new IllegalArgumentException("no key " + keyHash));
        k.usage.add(new VirtualKeys.Usage(at.toString(), model, provider, input, output, cost));
        k.usage.sort(java.util.Comparator.comparing(VirtualKeys.Usage::timestamp));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/health") && method.equals("GET")) {
                ex.sendResponseHeaders(200, -1);
            } else if (path.equals("/providers") && method.equals("GET")) {
                ArrayNode names = json.createArrayNode();
                providers.forEach(p -> names.add(p.name()));
                send(ex, 200, names);
            } else if (path.equals("/providers/detail") && method.equals("GET")) {
                send(ex, 200, providerDetails());
            } else if (path.startsWith("/admin/")) {
                admin(ex, method, path);
            } else if (PROXY.matcher(path).matches()) {
                proxy(ex, path);
            } else {
                send(ex, 404, error("not found: " + path, "not_found"));
            }
        }
    }

    private void admin(HttpExchange ex, String method, String path) throws IOException {
        if (masterKey == null) {
            send(ex, 403, error("Admin API is disabled (no master key configured)", "admin_disabled"));
            return;
        }
        String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
        if (!MessageDigest.isEqual(
                auth.getBytes(StandardCharsets.UTF_8), ("Bearer " + masterKey).getBytes(StandardCharsets.UTF_8))) {
            send(ex, 401, error("Invalid or missing master key", "unauthorized"));
            return;
        }
        if (!keysEnabled) {
            send(ex, 503, error("Virtual keys are disabled", "keys_disabled"));
            return;
        }
        Matcher key = KEY_PATH.matcher(path);
        if (path.equals("/admin/keys") && method.equals("POST")) {
            JsonNode body = json.readTree(ex.getRequestBody());
            send(ex, 200, keys.create(body instanceof ObjectNode o ? o : json.createObjectNode()));
        } else if (path.equals("/admin/keys") && method.equals("GET")) {
            ArrayNode all = json.createArrayNode();
            keys.all().forEach(k -> all.add(keys.info(k)));
            send(ex, 200, all);
        } else if (path.equals("/admin/usage/by-owner") && method.equals("GET")) {
            String days = query(ex, "days");
            send(ex, 200, keys.byOwner(query(ex, "owner"), days == null ? 30 : Integer.parseInt(days)));
        } else if (path.equals("/admin/keys/stats") && method.equals("GET")) {
            send(
                    ex,
                    200,
                    json.createObjectNode()
                            .put("total_keys", keys.all().size())
                            .put(
                                    "keys_enabled",
                                    keys.all().stream().filter(k -> !k.disabled).count())
                            .put("self_provisioning_enabled", false)
                            .put(
                                    "pricing_models",
                                    providers.stream()
                                            .mapToInt(p -> p.models().size())
                                            .sum()));
        } else if (key.matches()) {
            Optional<VirtualKeys.Key> found = keys.find(key.group(1));
            if (found.isEmpty()) {
                send(ex, 404, error("Key not found: " + key.group(1), "not_found"));
            } else if (key.group(2) != null && method.equals("GET")) {
                send(ex, 200, keys.usage(found.get()));
            } else if (method.equals("DELETE")) {
                found.get().disabled = true;
                ex.sendResponseHeaders(204, -1);
            } else {
                send(ex, 200, keys.info(found.get()));
            }
        } else {
            send(ex, 404, error("no admin route " + method + " " + path, "not_found"));
        }
    }

    /** Checks the virtual key, forwards to the upstream, streams the answer back and records its usage. */
    private void proxy(HttpExchange ex, String path) throws IOException {
        Matcher m = PROXY.matcher(path);
        if (!m.matches()) {
            return;
        }
        String providerName = m.group(1) != null ? m.group(1) : providers.get(0).name();
        Optional<Provider> provider =
                providers.stream().filter(p -> p.name().equals(providerName)).findFirst();
        if (provider.isEmpty()) {
            send(ex, 400, refusal("Unknown provider: " + providerName, "invalid_request_error", "invalid_provider"));
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            send(ex, 401, refusal("Missing API key", "authentication_error", "missing_api_key"));
            return;
        }
        Optional<VirtualKeys.Key> key = keys.bySecret(auth.substring("Bearer ".length()));
        if (key.isEmpty()) {
            send(ex, 401, refusal("Invalid API key", "authentication_error", "invalid_api_key"));
            return;
        }
        VirtualKeys.Key k = key.get();
        if (k.disabled) {
            send(ex, 401, refusal("API key is disabled", "authentication_error", "key_disabled"));
            return;
        }
        double budget = k.permissions.path("max_budget_usd").asDouble(Double.MAX_VALUE);
        if (k.spend() >= budget) {
            send(ex, 429, refusal("Budget of $" + budget + " exceeded", "rate_limit_error", "budget_exceeded"));
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        JsonNode request = json.readTree(body);
        String model = request.path("model").asText("");
        HttpResponse<java.io.InputStream> answer;
        try {
            answer = upstreamClient.send(
                    HttpRequest.newBuilder(upstream.resolve("/v1/" + m.group(2)))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(ex, 502, refusal("interrupted", "api_error", "upstream_error"));
            return;
        }
        ex.getResponseHeaders()
                .add("Content-Type", answer.headers().firstValue("Content-Type").orElse("application/json"));
        ex.getResponseHeaders().add("x-eavs-provider", providerName);
        ex.sendResponseHeaders(answer.statusCode(), 0);
        long input = 0;
        long output = 0;
        OutputStream out = ex.getResponseBody();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (line.startsWith("data: {")) {
                    JsonNode usage =
                            json.readTree(line.substring("data: ".length())).path("usage");
                    if (usage.isObject()) {
                        input = usage.path("prompt_tokens").asLong();
                        output = usage.path("completion_tokens").asLong();
                    }
                }
            }
        }
        Model priced = provider.get().models().stream()
                .filter(mm -> mm.id().equals(model))
                .findFirst()
                .orElse(new Model(model, 0, 0));
        double cost = (input * priced.inputCost() + output * priced.outputCost()) / 1_000_000.0;
        k.usage.add(new VirtualKeys.Usage(Instant.now().toString(), model, providerName, input, output, cost));
    }

    /** {@code [ProviderDetail]}, as eavs gives them to the pi models.json generator. */
    private ArrayNode providerDetails() {
        ArrayNode a = json.createArrayNode();
        for (Provider p : providers) {
            ObjectNode d = a.addObject()
                    .put("name", p.name())
                    .put("type", p.type())
                    .put("pi_api", p.piApi())
                    .put("oauth", false)
                    .put("has_api_key", true);
            ArrayNode models = d.putArray("models");
            for (Model m : p.models()) {
                ObjectNode e = models.addObject()
                        .put("id", m.id())
                        .put("name", m.id())
                        .put("reasoning", false)
                        .put("context_window", 128_000)
                        .put("max_tokens", 16_384);
                e.putArray("input").add("text");
                e.putObject("cost")
                        .put("input", m.inputCost())
                        .put("output", m.outputCost())
                        .put("cache_read", 0.0);
            }
        }
        return a;
    }

    private @Nullable String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&", -1)) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private ObjectNode error(String message, String code) {
        return json.createObjectNode().put("error", message).put("code", code);
    }

    /** The proxy's OpenAI-style refusal body. */
    private ObjectNode refusal(String message, String type, String code) {
        ObjectNode n = json.createObjectNode();
        n.putObject("error").put("message", message).put("type", type).put("code", code);
        return n;
    }

    private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
