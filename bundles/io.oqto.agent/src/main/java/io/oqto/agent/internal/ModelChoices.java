package io.oqto.agent.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models a session can be created with, read from pi's {@code models.json} content
 * ({@code {providers: {name: {models: [{id, name?, reasoning?}]}}}}): one {@code list_models} entry per model, in
 * the file's order. Entries without an {@code id} are skipped, as pi skips them.
 */
final class ModelChoices {

    private ModelChoices() {}

    static List<Map<String, Object>> of(Map<String, Object> modelsJson) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!(modelsJson.get("providers") instanceof Map<?, ?> providers)) {
            return out;
        }
        for (Map.Entry<?, ?> p : providers.entrySet()) {
            if (!(p.getValue() instanceof Map<?, ?> provider) || !(provider.get("models") instanceof List<?> models)) {
                continue;
            }
            for (Object o : models) {
                if (o instanceof Map<?, ?> m && m.get("id") instanceof String id && !id.isEmpty()) {
                    Map<String, Object> model = new LinkedHashMap<>();
                    model.put("provider", String.valueOf(p.getKey()));
                    model.put("id", id);
                    model.put("name", m.get("name") instanceof String name ? name : null);
                    model.put("reasoning", Boolean.TRUE.equals(m.get("reasoning")));
                    out.add(model);
                }
            }
        }
        return out;
    }
}
