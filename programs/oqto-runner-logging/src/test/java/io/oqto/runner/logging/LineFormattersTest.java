package io.oqto.runner.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LineFormattersTest {

    private static LogRecord record(Level level, String message, Object... params) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("io.oqto.runner.server.internal.RunnerServer");
        r.setParameters(params);
        r.setMillis(1_700_000_000_123L);
        return r;
    }

    @Test
    void aConsoleLineHasTheLevelTheThreadTheLoggersSimpleNameAndTheMessage() {
        String thread = Thread.currentThread().getName();
        assertEquals(
                "INFO  [" + thread + "] RunnerServer: runner listening on /run/r.sock\n",
                new ConsoleLineFormatter(false).format(record(Level.INFO, "runner listening on /run/r.sock")));
        assertEquals(
                "WARN  [" + thread + "] RunnerServer: slow start\n",
                new ConsoleLineFormatter(false).format(record(Level.WARNING, "slow {0}", "start")));
    }

    @Test
    void forTheJournalEachLineStartsWithItsSyslogPriority() {
        ConsoleLineFormatter journal = new ConsoleLineFormatter(true);
        assertTrue(journal.format(record(Level.SEVERE, "x")).startsWith("<3>ERROR ["));
        assertTrue(journal.format(record(Level.WARNING, "x")).startsWith("<4>WARN  ["));
        assertTrue(journal.format(record(Level.INFO, "x")).startsWith("<6>INFO  ["));
        assertTrue(journal.format(record(Level.CONFIG, "x")).startsWith("<6>INFO  ["));
        assertTrue(journal.format(record(Level.FINE, "x")).startsWith("<7>DEBUG ["));
        assertTrue(journal.format(record(Level.FINEST, "x")).startsWith("<7>TRACE ["));
    }

    @Test
    void theFileLineStartsWithTheTimeAndEndsWithTheStackTrace() {
        LogRecord r = record(Level.SEVERE, "cannot bind");
        r.setThrown(new IllegalStateException("address in use"));
        String line = new FileLineFormatter(ZoneOffset.UTC).format(r);
        assertTrue(line.startsWith("2023-11-14 22:13:20.123 ERROR ["), line);
        assertTrue(
                line.contains("] RunnerServer: cannot bind\njava.lang.IllegalStateException: address in use\n"), line);
        assertTrue(line.contains("\tat io.oqto.runner.logging.LineFormattersTest."), line);
    }
}
