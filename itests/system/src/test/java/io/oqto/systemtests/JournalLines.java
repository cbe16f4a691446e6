package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a distribution writes to standard output when it is the journal: a syslog priority before each log line. */
final class JournalLines {

    private JournalLines() {}

    /** Every log line starts with its priority ({@code <6>INFO …}); none is left without. */
    static void assertPrefixed(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        assertTrue(
                lines.stream().anyMatch(l -> l.matches("<6>INFO +\\[[^\\]]+\\] \\S+: .*")),
                "priority-prefixed INFO lines: " + Commands.tails(log));
        assertTrue(
                lines.stream().noneMatch(l -> l.matches("(TRACE|DEBUG|INFO|WARN|ERROR) +\\[.*")),
                "a line without its priority: " + Commands.tails(log));
        assertTrue(
                lines.stream().filter(l -> l.startsWith("<4>")).allMatch(l -> l.startsWith("<4>WARN ")),
                "warnings are <4>");
    }
}
