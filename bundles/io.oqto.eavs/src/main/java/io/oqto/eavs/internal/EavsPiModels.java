package io.oqto.eavs.internal;

import io.oqto.runner.spi.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * pi's {@code models.json} from eavs's {@code GET /providers/detail} (services-spec §2.4): one pi provider
 * {@code eavs-<name>} per eavs provider, reached at {@code <eavs>/<name>/v1} with the user's virtual key, its
 * models with their limits and costs under pi's names. The {@code default} provider and providers eavs gives no
 * pi API for ({@code pi_api: null}) are skipped; an eavs that sends no {@code pi_api} at all gets it from the
 * provider type, by eavs's own table. MiniMax models need pi's think-tag conversion.
 */
final class EavsPiModels {

    /** eavs's provider type → pi's api, for an eavs that does not send {@code pi_api}. */
    static final Map<String, String> API_BY_TYPE = Map.ofEntries(
            Map.entry("openai", "openai-responses"),
            Map.entry("openai-responses", "openai-responses"),
            Map.entry("azure", "openai-responses"),
            Map.entry("github-copilot", "openai-responses"),
            Map.entry("openai-codex", "openai-codex-responses"),
            Map.entry("anthropic", "anthropic-messages"),
            Map.entry("google", "google-generative-ai"),
            Map.entry("google-vertex", "google-generative-ai"),
            Map.entry("bedrock", "openai-completions"),
            Map.entry("mistral", "openai-completions"),
            Map.entry("groq", "openai-completions"),
            Map.entry("cerebras", "openai-completions"),
            Map.entry("xai", "openai-completions"),
            Map.entry("openrouter", "openai-completions"),
            Map.entry("openai-compatible", "openai-completions"),
            Map.entry("mock", "openai-completions"));

    private EavsPiModels() {}

    /**
     * The models.json content.
     *
     * @param details eavs's provider details, as parsed JSON
     * @param eavsUrl eavs's base URL, without a trailing slash
     * @param virtualKey the user's key, which pi sends as its API key
     */
    static Map<String, Object> of(List<Map<String, Object>> details, String eavsUrl, String virtualKey) {
        Map<String, Object> providers = new LinkedHashMap<>();
        for (Map<String, Object> d : details) {
            String name = String.valueOf(d.get("name"));
            String api = api(d);
            if (name.equals("default") || api == null) {
                continue;
            }
            List<Map<String, Object>> models = new ArrayList<>();
            boolean minimax = false;
            if (d.get("models") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m) {
                        models.add(model(m));
                        minimax |= String.valueOf(m.get("id")).contains("MiniMax");
                    }
                }
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("baseUrl", eavsUrl + "/" + name + "/v1");
            p.put("api", minimax ? "openai-completions-convert-think-tags" : api);
            p.put("apiKey", virtualKey);
            if (d.get("headers") instanceof Map<?, ?> headers && !headers.isEmpty()) {
                p.put("headers", headers);
            }
            p.put("models", models);
            providers.put("eavs-" + name, p);
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("providers", providers);
        return file;
    }

    /** Writes {@code <agentDir>/models.json}, 0600: it holds the user's key. */
    static void write(Path agentDir, Map<String, Object> content) throws IOException {
        PrivateFiles.write(
                agentDir.resolve("models.json"), new String(EavsHttp.write(content), StandardCharsets.UTF_8));
    }

    /** The provider's pi api: {@code pi_api} when sent (null: pi cannot use it), else from its type. */
    private static @Nullable String api(Map<String, Object> detail) {
        if (detail.containsKey("pi_api")) {
            return detail.get("pi_api") instanceof String s ? s : null;
        }
        return API_BY_TYPE.get(String.valueOf(detail.get("type")));
    }

    /** One model under pi's names; costs stay per million tokens, as both sides count them. */
    private static Map<String, Object> model(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.get("id"));
        out.put("name", m.get("name") == null ? m.get("id") : m.get("name"));
        out.put("reasoning", Boolean.TRUE.equals(m.get("reasoning")));
        out.put("input", m.get("input") instanceof List<?> input ? input : List.of("text"));
        putIfPresent(out, "contextWindow", m.get("context_window"));
        putIfPresent(out, "maxTokens", m.get("max_tokens"));
        Map<?, ?> cost = m.get("cost") instanceof Map<?, ?> c ? c : Map.of();
        Map<String, Object> piCost = new LinkedHashMap<>();
        piCost.put("input", number(cost.get("input")));
        piCost.put("output", number(cost.get("output")));
        piCost.put("cacheRead", number(cost.get("cache_read")));
        piCost.put("cacheWrite", number(cost.get("cache_write")));
        out.put("cost", piCost);
        putIfPresent(out, "compat", m.get("compat"));
        return out;
    }

    private static void putIfPresent(Map<String, Object> out, String key, @Nullable Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private static double number(@Nullable Object v) {
        return v instanceof Number n ? n.doubleValue() : 0.0;
    }
}
