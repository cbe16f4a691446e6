package io.oqto.runner.logging;

import java.util.logging.Level;

/** slf4j's levels (which slf4j-jdk14 maps onto java.util.logging's) with their syslog priorities. */
enum Severity {
    ERROR("<3>"),
    WARN("<4>"),
    INFO("<6>"),
    DEBUG("<7>"),
    TRACE("<7>");

    private final String priority;
    /** The name padded to five, as the line shows it: made once, not at every line. */
    private final String label = String.format("%-5s", name());

    Severity(String priority) {
        this.priority = priority;
    }

    String label() {
        return label;
    }

    String priority() {
        return priority;
    }

    /** The severity of a java.util.logging level: SEVERE is ERROR, WARNING is WARN, CONFIG counts as INFO, FINE as DEBUG. */
    static Severity of(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return ERROR;
        }
        if (v >= Level.WARNING.intValue()) {
            return WARN;
        }
        if (v >= Level.CONFIG.intValue()) {
            return INFO;
        }
        return v >= Level.FINE.intValue() ? DEBUG : TRACE;
    }
}
