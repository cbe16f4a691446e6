package io.oqto.process.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What happens when a process exits: {@code never} restart, or {@code on-failure} (non-zero exit or a
 * signal) up to {@code max} times, waiting {@code backoff_ms} doubled after each restart (capped at 60 s).
 * A stop requested through the protocol is never undone by a restart.
 */
record RestartPolicy(boolean onFailure, int max, long backoffMs) {

    static final RestartPolicy NEVER = new RestartPolicy(false, 0, 0);
    private static final Set<String> KEYS = Set.of("policy", "max", "backoff_ms");

    static RestartPolicy parse(@Nullable Object value) throws ProtocolException {
        if (value == null) {
            return NEVER;
        }
        if (!(value instanceof Map<?, ?> m) || !KEYS.containsAll(m.keySet())) {
            throw invalid("\"restart\" must be {\"policy\": \"never\"|\"on-failure\", \"max\": n, \"backoff_ms\": n}");
        }
        Object policy = m.get("policy");
        if ("never".equals(policy)) {
            return NEVER;
        }
        if (!"on-failure".equals(policy)) {
            throw invalid("\"restart.policy\" must be \"never\" or \"on-failure\"");
        }
        long max = number(m.get("max"), 5);
        long backoff = number(m.get("backoff_ms"), 1000);
        if (max < 1 || max > 100 || backoff < 10 || backoff > 60_000) {
            throw invalid("\"restart.max\" must be 1-100 and \"restart.backoff_ms\" 10-60000");
        }
        return new RestartPolicy(true, (int) max, backoff);
    }

    /** Whether a process that exited with {@code exitCode} after {@code restarts} restarts is started again. */
    boolean restarts(int exitCode, int restarts) {
        return onFailure && exitCode != 0 && restarts < max;
    }

    long delayBefore(int restartNumber) {
        return Math.min(60_000, backoffMs << Math.min(restartNumber, 12));
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", onFailure ? "on-failure" : "never");
        if (onFailure) {
            m.put("max", max);
            m.put("backoff_ms", backoffMs);
        }
        return m;
    }

    private static long number(@Nullable Object v, long dflt) throws ProtocolException {
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n)) {
            throw invalid("\"restart\" values must be numbers");
        }
        return n.longValue();
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, message, null);
    }
}
