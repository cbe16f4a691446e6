package io.oqto.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** What a process has open and listens on, from /proc: its open files, and the TCP ports of its listening sockets. */
final class Listening {

    private static final String LISTEN = "0A";

    private Listening() {}

    /** What each of the process's descriptors names: a path, or {@code socket:[inode]}, {@code pipe:[…]}. */
    static List<String> openFiles(long pid) throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return targets;
    }

    static Set<Integer> tcpPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String target : openFiles(pid)) {
            if (target.startsWith("socket:[")) {
                inodes.add(target.substring(8, target.length() - 1));
            }
        }
        Set<Integer> ports = new TreeSet<>();
        for (String table : new String[] {"tcp", "tcp6"}) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+", -1);
                // local_address is HEX_IP:HEX_PORT; st is the state; inode is the tenth column.
                if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
