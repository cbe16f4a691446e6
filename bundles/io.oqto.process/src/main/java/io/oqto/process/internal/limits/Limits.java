package io.oqto.process.internal.limits;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The limits one process runs under: memory in MiB, tasks (processes and threads) and CPU in percent of
 * one core. The configured values are both the defaults and the ceilings: a spawn may ask for less, never
 * for more.
 */
public record Limits(long memoryMb, long tasks, long cpuPercent) {

    private static final Set<String> KEYS = Set.of("memory_mb", "tasks", "cpu_percent");

    /** The limits a spawn's {@code limits} field asks for, within {@code ceiling}. */
    public static Limits parse(@Nullable Object value, Limits ceiling) throws ProtocolException {
        if (value == null) {
            return ceiling;
        }
        if (!(value instanceof Map<?, ?> m) || !KEYS.containsAll(m.keySet())) {
            throw invalid("\"limits\" must be {\"memory_mb\": n, \"tasks\": n, \"cpu_percent\": n} (each optional)");
        }
        return new Limits(
                field(m, "memory_mb", 16, ceiling.memoryMb),
                field(m, "tasks", 4, ceiling.tasks),
                field(m, "cpu_percent", 1, ceiling.cpuPercent));
    }

    private static long field(Map<?, ?> m, String key, long min, long max) throws ProtocolException {
        Object v = m.get(key);
        if (v == null) {
            return max;
        }
        if (!(v instanceof Number n)
                || n.longValue() != n.doubleValue()
                || n.longValue() < min
                || n.longValue() > max) {
            throw invalid("\"limits." + key + "\" must be a whole number from " + min + " to " + max
                    + " (the configured ceiling)");
        }
        return n.longValue();
    }

    public long memoryBytes() {
        return memoryMb << 20;
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("memory_mb", memoryMb);
        m.put("tasks", tasks);
        m.put("cpu_percent", cpuPercent);
        return m;
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, message, null);
    }
}
