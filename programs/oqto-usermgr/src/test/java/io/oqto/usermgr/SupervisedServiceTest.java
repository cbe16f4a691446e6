package io.oqto.usermgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Restart with a growing pause, output copied with a prefix, stop by SIGTERM. No other user needed. */
class SupervisedServiceTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);

    private String log() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aServiceThatExitsIsRestartedWithAGrowingPause() throws Exception {
        SupervisedService s =
                new SupervisedService("alice/svc", new ProcessBuilder("/bin/sh", "-c", "echo ran; exit 3"), log);
        s.start();
        // Stopped while it waits to be restarted (not while a run is under way, which SIGTERM would end).
        waitFor(
                "two restarts, then the pause before the next",
                () -> (int) s.status().get("restarts") >= 2
                        && "restarting".equals(s.status().get("state")));
        s.stop();
        String log = log();
        assertTrue(log.contains("alice/svc: ran\n"), log);
        assertTrue(log.contains("alice/svc: exited with code 3; restarting in 1000 ms\n"), log);
        assertTrue(log.contains("alice/svc: exited with code 3; restarting in 2000 ms\n"), log);
        Map<String, Object> status = s.status();
        assertEquals("stopped", status.get("state"));
        assertEquals("code 3", status.get("last_exit"));
    }

    @Test
    void stopEndsARunningServiceWithSigterm() throws Exception {
        SupervisedService s = new SupervisedService("alice/svc", new ProcessBuilder("/bin/sleep", "60"), log);
        s.start();
        assertTrue(s.running());
        long pid = (long) s.status().get("pid");
        s.stop();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(Map.of("state", "stopped", "restarts", 0, "last_exit", "signal 15"), withoutPid(s.status()));
        assertFalse(log().contains("restarting"), "a stopped service is not restarted: " + log());
    }

    private static Map<String, Object> withoutPid(Map<String, Object> m) {
        Map<String, Object> c = new HashMap<>(m);
        assertEquals(null, c.remove("pid"));
        return c;
    }
}
