package io.oqto.memory.internal;

import io.oqto.runner.spi.memory.Memory;
import io.oqto.runner.spi.memory.MemoryRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memories a ledger holds now (services-spec §3.3): every added memory, minus the deprecated and the superseded
 * ones; a supersede replaces its target (keeping when the target was made). Newest first. Category and importance,
 * which the ledger's events do not have fields for, travel in the event's {@code metadata}.
 */
final class ActiveView {

    private ActiveView() {}

    static List<Memory> of(List<Ledger.Event> events) {
        Map<String, Memory> active = new LinkedHashMap<>();
        for (Ledger.Event e : events) {
            switch (e.type()) {
                case "memory.add" -> active.put(e.memoryId(), memory(e, e.timeMs()));
                case "memory.deprecate" -> active.remove(e.memoryId());
                case "memory.supersede" -> {
                    Memory old = e.targetMemoryId() == null ? null : active.remove(e.targetMemoryId());
                    active.put(e.memoryId(), memory(e, old == null ? e.timeMs() : old.createdAtMs()));
                }
                default -> {
                    // Ledger.read() passes only the three types.
                }
            }
        }
        List<Memory> newestFirst = new ArrayList<>(active.values());
        java.util.Collections.reverse(newestFirst); // later events first among equal times
        newestFirst.sort(Comparator.comparingLong(Memory::updatedAtMs).reversed());
        return newestFirst;
    }

    private static Memory memory(Ledger.Event e, long createdAtMs) {
        Map<String, Object> metadata = new LinkedHashMap<>(e.metadata());
        Object category = metadata.remove("category");
        Object importance = metadata.remove("importance");
        return new Memory(
                e.memoryId(),
                e.content() == null ? "" : e.content(),
                category instanceof String c ? c : MemoryRules.DEFAULT_CATEGORY,
                e.tags(),
                importance instanceof Number n
                        ? Math.max(1, Math.min(10, n.intValue()))
                        : MemoryRules.DEFAULT_IMPORTANCE,
                e.memoryType() == null ? "semantic" : e.memoryType(),
                metadata,
                createdAtMs,
                e.timeMs());
    }
}
