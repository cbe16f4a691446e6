import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Run as an unprivileged local user by the system test (java ProcSnoop.java OUT STOP): what a hostile
 * user on the machine sees of other people's processes. Reads every /proc/PID/cmdline and every
 * /proc/PID/environ it is allowed to, every 10 ms, until the file STOP exists; then writes each
 * distinct command line and environment it saw to OUT, one per line (NULs as spaces).
 */
public class ProcSnoop {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path stop = Path.of(args[1]);
        Set<String> seen = new TreeSet<>();
        long rounds = 0;
        System.out.println("snooping");
        System.out.flush();
        while (!Files.exists(stop)) {
            try (var pids = Files.newDirectoryStream(
                    Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path pid : pids) {
                    read(pid.resolve("cmdline"), "cmdline ", seen);
                    read(pid.resolve("environ"), "environ ", seen);
                }
            }
            rounds++;
            // A console client lives about a second: a look every 10 ms sees each one many times over, and
            // leaves the machine's two cores to what is being watched.
            Thread.sleep(10);
        }
        seen.add("rounds " + rounds);
        Files.write(out, seen, StandardCharsets.UTF_8);
    }

    private static void read(Path file, String kind, Set<String> seen) {
        try {
            byte[] b = Files.readAllBytes(file);
            if (b.length > 0) {
                seen.add(kind
                        + new String(b, StandardCharsets.UTF_8)
                                .replace('\0', ' ')
                                .replace('\n', ' '));
            }
        } catch (Exception e) {
            // gone, or not ours to read: exactly what a hostile user gets
        }
    }
}
