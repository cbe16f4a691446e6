package io.oqto.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;

/** A process's thread count, from /proc (-1 when it is gone). */
final class Threads {

    private Threads() {}

    static int of(long pid) {
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            return Integer.parseInt(status.replaceAll("(?s).*\nThreads:\t(\\d+)\n.*", "$1"));
        } catch (Exception e) {
            return -1;
        }
    }
}
