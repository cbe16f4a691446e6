package io.oqto.agent.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session's LLM cost so far: pi's {@code usage} of each assistant message ({@code input}, {@code output},
 * {@code cost.total}), summed. pi prices a message by the model's costs in models.json (eavs's prices, when
 * they come from eavs); a provider without prices counts tokens at $0.
 */
final class CostTally {

    private double usd;
    private long inputTokens;
    private long outputTokens;
    private long messages;

    synchronized void add(Map<?, ?> message) {
        if (!"assistant".equals(message.get("role")) || !(message.get("usage") instanceof Map<?, ?> usage)) {
            return;
        }
        messages++;
        inputTokens += Json.whole(usage.get("input"));
        outputTokens += Json.whole(usage.get("output"));
        if (usage.get("cost") instanceof Map<?, ?> cost && cost.get("total") instanceof Number total) {
            usd += total.doubleValue();
        }
    }

    synchronized long tokens() {
        return inputTokens + outputTokens;
    }

    synchronized double usd() {
        return usd;
    }

    /** The wire form: {@code {usd, input_tokens, output_tokens, messages}}. */
    synchronized Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("usd", usd);
        m.put("input_tokens", inputTokens);
        m.put("output_tokens", outputTokens);
        m.put("messages", messages);
        return m;
    }
}
