package io.oqto.agent.internal;

import java.util.Locale;

/**
 * Which history store {@code [history] store} names, with {@code auto} decided the way the seed describes: hstry
 * where its program is installed, else the embedded store, so a fresh install keeps history with nothing else to
 * install. The chosen store is the only one active ({@link HistoryStoreChoice}).
 */
enum HistoryChoice {
    EMBEDDED,
    HSTRY,
    OFF;

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
