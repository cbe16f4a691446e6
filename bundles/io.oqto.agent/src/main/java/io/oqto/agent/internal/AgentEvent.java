package io.oqto.agent.internal;

import io.oqto.runner.protocol.JsonTrees;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event of a session, in Oqto's agent event model (docs/agent-events.md): a sequence number, a type
 * such as {@code message.delta}, the time, and the type's fields — kept encoded, as
 * {@code {"seq":…,"type":…,"time_ms":…,"data":{…}}}: it is sent to every subscriber as it is, and a
 * runner keeps thousands of these in a small heap.
 */
record AgentEvent(long seq, String type, JsonTrees.Raw json) {

    static AgentEvent of(long seq, String type, long timeMs, Map<String, Object> data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("type", type);
        m.put("time_ms", timeMs);
        m.put("data", data);
        return new AgentEvent(seq, type, new JsonTrees.Raw(Json.write(m)));
    }
}
