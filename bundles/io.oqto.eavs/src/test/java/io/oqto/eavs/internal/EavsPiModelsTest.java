package io.oqto.eavs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pi's models.json from eavs's provider details: the mapping table, the skipped providers, pi's names. */
class EavsPiModelsTest {

    private static final String EAVS = "http://127.0.0.1:3033";

    private static Map<String, Object> detail(String name, String type, Object... piApi) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("type", type);
        if (piApi.length > 0) {
            d.put("pi_api", piApi[0]);
        }
        d.put("models", List.of(Map.of("id", name + "-model")));
        return d;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> providers(List<Map<String, Object>> details) {
        return (Map<String, Object>) EavsPiModels.of(details, EAVS, "eavs-KEY").get("providers");
    }

    @Test
    void everyProviderTypeOfTheTableGetsPisApi() {
        Map<String, String> expected = Map.ofEntries(
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
        expected.forEach((type, api) -> {
            // as eavs sends it (pi_api filled in), and as an eavs that sends no pi_api
            Map<?, ?> sent =
                    (Map<?, ?>) providers(List.of(detail("p", type, api))).get("eavs-p");
            Map<?, ?> derived =
                    (Map<?, ?>) providers(List.of(detail("p", type))).get("eavs-p");
            assertEquals(api, sent.get("api"), type);
            assertEquals(api, derived.get("api"), type);
        });
        assertEquals(expected, EavsPiModels.API_BY_TYPE);
    }

    @Test
    void theDefaultProviderAndProvidersPiCannotUseAreSkipped() {
        Map<String, Object> p = providers(List.of(
                detail("default", "openai", "openai-responses"),
                detail("oauth-only", "openai", (Object) null),
                detail("unknown-type", "carrier-pigeon"),
                detail("work", "anthropic", "anthropic-messages")));
        assertEquals(List.of("eavs-work"), List.copyOf(p.keySet()));
    }

    @Test
    void aProviderPointsAtEavsWithTheVirtualKeyAndItsModelsUnderPisNames() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", "work");
        d.put("type", "openai-compatible");
        d.put("pi_api", "openai-completions");
        d.put("headers", Map.of("X-Team", "EAVS_API_KEY"));
        d.put(
                "models",
                List.of(Map.of(
                        "id",
                        "gpt-x",
                        "name",
                        "GPT X",
                        "reasoning",
                        true,
                        "input",
                        List.of("text", "image"),
                        "context_window",
                        128000,
                        "max_tokens",
                        16384,
                        "cost",
                        Map.of("input", 1.25, "output", 10.0, "cache_read", 0.125))));
        Map<?, ?> work = (Map<?, ?>) providers(List.of(d)).get("eavs-work");
        assertEquals("http://127.0.0.1:3033/work/v1", work.get("baseUrl"));
        assertEquals("eavs-KEY", work.get("apiKey"));
        assertEquals(Map.of("X-Team", "EAVS_API_KEY"), work.get("headers"));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", "gpt-x");
        model.put("name", "GPT X");
        model.put("reasoning", true);
        model.put("input", List.of("text", "image"));
        model.put("contextWindow", 128000);
        model.put("maxTokens", 16384);
        model.put("cost", Map.of("input", 1.25, "output", 10.0, "cacheRead", 0.125, "cacheWrite", 0.0));
        assertEquals(List.of(model), work.get("models"));
        assertFalse(
                ((Map<?, ?>) providers(List.of(detail("bare", "mock", "openai-completions")))
                                .get("eavs-bare"))
                        .containsKey("headers"),
                "no headers when eavs sends none");
    }

    @Test
    void miniMaxModelsGetThinkTagConversion() {
        Map<String, Object> d = detail("mm", "openai-compatible", "openai-completions");
        d.put("models", List.of(Map.of("id", "MiniMax-M2")));
        assertEquals(
                "openai-completions-convert-think-tags",
                ((Map<?, ?>) providers(List.of(d)).get("eavs-mm")).get("api"));
    }
}
