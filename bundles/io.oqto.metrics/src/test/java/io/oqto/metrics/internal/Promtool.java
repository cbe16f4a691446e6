package io.oqto.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Prometheus's own checker, from Debian's prometheus package (unpacked by scripts/install-test-deps). */
final class Promtool {

    static final Path PROMTOOL =
            Path.of("../../.tools/prometheus/usr/bin/promtool").toAbsolutePath().normalize();

    private Promtool() {}

    /** {@code promtool check metrics} accepts the text and has nothing to say about it (no lint problem either). */
    static void assertAccepts(String metrics) throws Exception {
        assertTrue(Files.isExecutable(PROMTOOL), "promtool is unpacked by scripts/install-test-deps at " + PROMTOOL);
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(metrics.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool ended");
        assertEquals(0, p.exitValue(), "promtool check metrics: " + said);
        assertEquals("", said.strip(), "promtool has nothing to say");
    }
}
