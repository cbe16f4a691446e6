package io.oqto.testing.tty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A process's writes as {@code /proc/<pid>/io} counts them, for tests that a writer nobody reads from ends up held
 * (blocked in its write) rather than buffered without bound somewhere on the way. Reading another user's counters
 * needs root, as the system tests run.
 */
public final class StalledWriter {

    private StalledWriter() {}

    /**
     * Waits until {@code pid} has written nothing for {@code quiet} and returns the bytes it wrote; fails when it
     * keeps writing past {@code timeout} or ends (then nothing held it up).
     */
    public static long awaitStalled(long pid, Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long since = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long written = written(pid);
            if (written != last) {
                last = written;
                since = now;
            } else if (now - since >= quiet.toNanos()) {
                return written;
            }
            if (now > deadline) {
                throw new AssertionError("process " + pid + " kept writing for " + timeout.toSeconds() + " s ("
                        + written + " bytes): nothing holds its output back");
            }
            Thread.sleep(50);
        }
    }

    /** The resident memory of {@code pid} in KiB ({@code VmRSS} of {@code /proc/<pid>/status}). */
    public static long residentKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            throw new AssertionError("no VmRSS for " + pid);
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/" + pid + "/status", e);
        }
    }

    /** The bytes {@code pid} has written so far (its {@code wchar}). */
    public static long written(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).strip());
                }
            }
            throw new AssertionError("no wchar in /proc/" + pid + "/io");
        } catch (NoSuchFileException gone) {
            throw new AssertionError("process " + pid + " ended: nothing held its output back", gone);
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/" + pid + "/io", e);
        }
    }
}
