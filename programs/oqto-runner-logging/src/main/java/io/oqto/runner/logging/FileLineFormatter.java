package io.oqto.runner.logging;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.LogRecord;

/** The log file's line: the local time to the millisecond, then standard output's line. */
public final class FileLineFormatter extends LineFormatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final ZoneId zone;

    public FileLineFormatter() {
        this(ZoneId.systemDefault());
    }

    FileLineFormatter(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String format(LogRecord record) {
        return TIME.format(Instant.ofEpochMilli(record.getMillis()).atZone(zone)) + " "
                + line(Severity.of(record.getLevel()), record);
    }
}
