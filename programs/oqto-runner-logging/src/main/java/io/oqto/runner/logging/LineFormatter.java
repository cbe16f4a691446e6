package io.oqto.runner.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** What both line formats share: {@code LEVEL [thread] Logger: message}, then the stack trace if there is one. */
abstract class LineFormatter extends Formatter {

    /**
     * The line of {@code record}. The thread is the current one: java.util.logging's console and file handlers
     * format on the thread that logs.
     */
    final String line(Severity severity, LogRecord record) {
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
        StringBuilder line = new StringBuilder(128)
                .append(severity.label())
                .append(" [")
                .append(Thread.currentThread().getName())
                .append("] ")
                .append(logger.substring(logger.lastIndexOf('.') + 1))
                .append(": ")
                .append(formatMessage(record))
                .append('\n');
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }
}
