package io.oqto.agent.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which history store {@code [history] store} names, with {@code auto} decided the way the seed describes: hstry
 * where its program is installed, else the embedded store, so a fresh install keeps history with nothing else to
 * install. Each store is a Karaf feature of its own, so a runner loads only the one it uses.
 */
enum HistoryChoice {
    EMBEDDED("oqto-history-embedded"),
    HSTRY("oqto-history-hstry"),
    OFF(null);

    private final @Nullable String feature;

    HistoryChoice(@Nullable String feature) {
        this.feature = feature;
    }

    /** The feature holding this store; null for {@link #OFF}. */
    @Nullable
    String feature() {
        return feature;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice {@code store} makes; with {@code auto}, hstry when {@code hstryInstalled}. */
    static HistoryChoice of(String store, boolean hstryInstalled) {
        return switch (store) {
            case "embedded" -> EMBEDDED;
            case "hstry" -> HSTRY;
            case "off" -> OFF;
            default -> hstryInstalled ? HSTRY : EMBEDDED;
        };
    }
}
