package io.oqto.runner.logging;

import java.util.logging.LogRecord;

/**
 * Standard output's line: {@code LEVEL [thread] Logger: message}, the same as the control plane's. Under systemd
 * (the launcher sets {@code oqto.log.journal}) each line starts with its syslog priority ({@code <6>} …), which
 * journald strips and records, so {@code journalctl -p warning} selects by level. No time: journald adds it.
 */
public final class ConsoleLineFormatter extends LineFormatter {

    private final boolean journal;

    public ConsoleLineFormatter() {
        this(Boolean.getBoolean("oqto.log.journal"));
    }

    ConsoleLineFormatter(boolean journal) {
        this.journal = journal;
    }

    @Override
    public String format(LogRecord record) {
        Severity severity = Severity.of(record.getLevel());
        return (journal ? severity.priority() : "") + line(severity, record);
    }
}
