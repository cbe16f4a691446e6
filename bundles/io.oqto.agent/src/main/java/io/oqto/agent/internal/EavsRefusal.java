package io.oqto.agent.internal;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An LLM request that eavs refused, recognised in pi's error message. pi keeps the HTTP status and eavs's message
 * ({@code 429 Budget of $5.0 exceeded}) but not eavs's {@code code}, so the code is worked back from the status and
 * the words, by eavs's own refusal table (services-spec §2.3).
 *
 * @param code eavs's code: {@code budget_exceeded}, {@code rate_limit_exceeded}, {@code key_disabled}, …
 * @param message what the user is told, with pi's words
 */
record EavsRefusal(String code, String message) {

    /** The refusal in an assistant message that ended with an error, or null when it is not one of eavs's. */
    static @Nullable EavsRefusal of(Map<?, ?> assistantMessage) {
        if (!"error".equals(assistantMessage.get("stopReason"))
                || !(assistantMessage.get("errorMessage") instanceof String error)) {
            return null;
        }
        String lower = error.toLowerCase(Locale.ROOT);
        if (lower.startsWith("429") && lower.contains("budget")) {
            return new EavsRefusal(
                    "budget_exceeded",
                    "eavs refused the request: the LLM budget of this user's key is used up (" + error
                            + "); an operator can raise it ([eavs] budget_usd) or wait for the budget window to roll over");
        }
        if (lower.startsWith("429")) {
            return new EavsRefusal(
                    "rate_limit_exceeded",
                    "eavs refused the request: too many requests per minute for this user's key (" + error + ")");
        }
        if (lower.startsWith("401") && (lower.contains("disabled") || lower.contains("expired"))) {
            return new EavsRefusal(
                    "key_disabled", "eavs refused the request: this user's key is revoked or expired (" + error + ")");
        }
        if (lower.startsWith("401")) {
            return new EavsRefusal(
                    "invalid_api_key", "eavs refused the request: it does not know this user's key (" + error + ")");
        }
        if (lower.startsWith("403")) {
            return new EavsRefusal(
                    "model_not_allowed",
                    "eavs refused the request: this user's key may not use that provider or model (" + error + ")");
        }
        return null;
    }
}
