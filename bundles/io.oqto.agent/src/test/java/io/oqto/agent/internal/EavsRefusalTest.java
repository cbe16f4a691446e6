package io.oqto.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** eavs's refusals recognised in pi's error messages; other failures are left as they are. */
class EavsRefusalTest {

    private static String codeOf(String errorMessage) {
        EavsRefusal r = EavsRefusal.of(Map.of("stopReason", "error", "errorMessage", errorMessage));
        return r == null ? "none" : r.code();
    }

    @Test
    void eachRefusalByStatusAndWords() {
        assertEquals("budget_exceeded", codeOf("429 Budget of $5.0 exceeded"));
        assertEquals("rate_limit_exceeded", codeOf("429 Rate limit exceeded: 60 requests per minute"));
        assertEquals("key_disabled", codeOf("401 API key is disabled"));
        assertEquals("key_disabled", codeOf("401 API key has expired"));
        assertEquals("invalid_api_key", codeOf("401 Invalid API key"));
        assertEquals("model_not_allowed", codeOf("403 Model gpt-5 is not allowed for this key"));
        assertEquals("none", codeOf("500 scripted upstream failure"));
        assertEquals("none", codeOf("Connection error."));
    }

    @Test
    void theMessageSaysBudgetAndKeepsPisWords() {
        EavsRefusal r = EavsRefusal.of(Map.of("stopReason", "error", "errorMessage", "429 Budget of $5.0 exceeded"));
        assertEquals(
                "eavs refused the request: the LLM budget of this user's key is used up (429 Budget of $5.0 exceeded); "
                        + "an operator can raise it ([eavs] budget_usd) or wait for the budget window to roll over",
                r == null ? null : r.message());
    }

    @Test
    void onlyAMessageThatEndedInAnErrorIsOne() {
        assertNull(EavsRefusal.of(Map.of("stopReason", "stop", "errorMessage", "429 Budget of $5.0 exceeded")));
        assertNull(EavsRefusal.of(Map.of("stopReason", "error")));
    }
}
