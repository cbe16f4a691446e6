package io.oqto.agent.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event of a session, in Oqto's agent event model (docs/agent-events.md): a sequence number, a type
 * such as {@code message.delta}, the time, and the type's fields.
 */
record AgentEvent(long seq, String type, long timeMs, Map<String, Object> data) {

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("type", type);
        m.put("time_ms", timeMs);
        m.put("data", data);
        return m;
    }
}
