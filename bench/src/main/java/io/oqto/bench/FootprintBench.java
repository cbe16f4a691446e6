package io.oqto.bench;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Per-user runner footprint: time from exec to READY=1 on $NOTIFY_SOCKET (what systemd waits for), and
 * RSS and threads after it has idled. Measures bin/oqto-runner (tuned) and, as the baseline in the same
 * run, the same distribution through Karaf's stock launcher with Karaf's default JVM options. Last, the floor: a
 * copy of the install whose startup.properties keeps only the framework's bundles (slf4j, Configuration Admin, SCR
 * and its OSGi utilities: no application bundle), idle for the same time after it reached its final start level.
 *
 *   FootprintBench <runner install dir> [runs] [idle seconds]
 */
public final class FootprintBench {

    record Sample(double readySeconds, double rssMiB, double anonMiB, double fileMiB, int threads) {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int idle = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path work = Files.createTempDirectory(Path.of("/tmp"), "oqto-fp");
        System.out.printf(
                "runner footprint, %d runs each (first boot of a fresh data/ excluded), RSS %d s after READY=1%n",
                runs, idle);
        List<String> tuned = List.of(home.resolve("bin/oqto-runner").toString());
        report(
                "bin/oqto-runner, no CDS archive",
                measure(tuned, Map.of("OQTO_RUNNER_CDS_ARCHIVE", "none"), work, runs, idle));
        // As an install does (systemd/install, the package): the archive every runner of the host maps.
        long t0 = System.nanoTime();
        Process cds = new ProcessBuilder(home.resolve("bin/oqto-runner-cds").toString())
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(work.resolve("cds.log").toFile()))
                .start();
        if (!cds.waitFor(2, TimeUnit.MINUTES) || cds.exitValue() != 0) {
            throw new IllegalStateException("bin/oqto-runner-cds failed; see " + work.resolve("cds.log"));
        }
        System.out.printf(
                "  bin/oqto-runner-cds made lib/oqto-runner.jsa (%.1f MiB) in %.1f s%n",
                Files.size(home.resolve("lib/oqto-runner.jsa")) / 1048576.0, (System.nanoTime() - t0) / 1e9);
        report("bin/oqto-runner + CDS archive", measure(tuned, Map.of(), work, runs, idle));
        report(
                "bin/karaf daemon (stock JVM options)",
                measure(List.of(home.resolve("bin/karaf").toString(), "daemon"), Map.of(), work, runs, idle));
        reportFloor(measureFloor(home, work, runs, idle));
        try (java.util.stream.Stream<Path> files = Files.walk(work)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** The first boot of each launcher (fresh data/, features resolved and installed), reported apart. */
    private static final List<Sample> FIRST = new ArrayList<>();

    private static List<Sample> measure(List<String> cmd, Map<String, String> extraEnv, Path work, int runs, int idle)
            throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            Path socket = work.resolve("r.sock");
            Path notify = work.resolve("notify");
            Files.deleteIfExists(notify);
            try (AFUNIXDatagramChannel systemd = AFUNIXDatagramChannel.open()) {
                systemd.bind(AFUNIXSocketAddress.of(notify));
                ProcessBuilder pb = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(
                                work.resolve("runner.log").toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                Map<String, String> env = pb.environment();
                env.put("NOTIFY_SOCKET", notify.toString());
                env.put("OQTO_RUNNER__SOCKET", socket.toString());
                env.put("OQTO_CONFIG", work.resolve("none.toml").toString());
                env.putAll(extraEnv);
                long t0 = System.nanoTime();
                Process p = pb.start();
                ByteBuffer buf = ByteBuffer.allocate(256);
                systemd.socket().setSoTimeout(120_000);
                do {
                    buf.clear();
                    systemd.receive(buf);
                } while (!new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).startsWith("READY=1"));
                double ready = (System.nanoTime() - t0) / 1e9;
                Thread.sleep(idle * 1000L);
                long pid = p.descendants()
                        .filter(h -> h.info().command().orElse("").endsWith("java"))
                        .findFirst()
                        .map(ProcessHandle::pid)
                        .orElse(p.pid());
                Sample s = sample(pid, ready);
                p.destroy();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                ProcessHandle.of(pid)
                        .ifPresent(
                                h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
                if (i > 0) {
                    samples.add(s);
                } else {
                    FIRST.add(s);
                }
            }
        }
        return samples;
    }

    /** The install copied with only the framework's bundles in startup.properties; ready is start level 100. */
    private static List<Sample> measureFloor(Path home, Path work, int runs, int idle) throws Exception {
        Path copy = work.resolve("framework-only");
        Process cp = new ProcessBuilder("cp", "-a", home.toString(), copy.toString()).start();
        if (cp.waitFor() != 0) {
            throw new IllegalStateException("cannot copy " + home);
        }
        Path startup = copy.resolve("etc/startup.properties");
        Files.write(
                startup,
                Files.readAllLines(startup).stream()
                        .filter(l -> l.startsWith("#")
                                || l.contains("slf4j")
                                || l.contains("felix")
                                || l.contains("org/osgi/"))
                        .toList());
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Path log = work.resolve("framework-" + i + ".log");
            ProcessBuilder pb = new ProcessBuilder(
                            copy.resolve("bin/oqto-runner").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("OQTO_RUNNER_CDS_ARCHIVE", "none");
            pb.environment().put("OQTO_RUNNER__SOCKET", work.resolve("f.sock").toString());
            long t0 = System.nanoTime();
            Process p = pb.start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.readString(log).contains("Setting startlevel to 100")) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the framework alone did not start; see " + log);
                }
                Thread.sleep(20);
            }
            double up = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(idle * 1000L);
            samples.add(sample(p.pid(), up));
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        return samples;
    }

    private static void reportFloor(List<Sample> samples) {
        double[] up = samples.stream().mapToDouble(Sample::readySeconds).toArray();
        double[] rss = samples.stream().mapToDouble(Sample::rssMiB).toArray();
        double[] anon = samples.stream().mapToDouble(Sample::anonMiB).toArray();
        double[] threads = samples.stream().mapToDouble(Sample::threads).toArray();
        System.out.printf(
                "  %-38s up   %.2f s [%s]   RSS %.1f MiB [%s] (private %.1f [%s])   threads %.0f%n",
                "the framework alone, no application",
                Stats.median(up),
                Stats.range(up),
                Stats.median(rss),
                Stats.range(rss),
                Stats.median(anon),
                Stats.range(anon),
                Stats.median(threads));
    }

    private static Sample sample(long pid, double ready) throws Exception {
        double rss = 0, anon = 0, file = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            String[] f = line.split("\\s+", -1);
            switch (f[0]) {
                case "VmRSS:" -> rss = Long.parseLong(f[1]) / 1024.0;
                case "RssAnon:" -> anon = Long.parseLong(f[1]) / 1024.0;
                case "RssFile:" -> file = Long.parseLong(f[1]) / 1024.0;
                case "Threads:" -> threads = Integer.parseInt(f[1]);
                default -> {}
            }
        }
        return new Sample(ready, rss, anon, file, threads);
    }

    private static void report(String name, List<Sample> samples) {
        double[] ready = samples.stream().mapToDouble(Sample::readySeconds).toArray();
        double[] rss = samples.stream().mapToDouble(Sample::rssMiB).toArray();
        double[] anon = samples.stream().mapToDouble(Sample::anonMiB).toArray();
        double[] threads = samples.stream().mapToDouble(Sample::threads).toArray();
        Sample first = FIRST.get(FIRST.size() - 1);
        System.out.printf(
                "  %-38s ready %.2f s [%s]   RSS %.1f MiB [%s] (private %.1f)   threads %.0f"
                        + "   first boot: ready %.2f s, RSS %.1f MiB%n",
                name,
                Stats.median(ready),
                Stats.range(ready),
                Stats.median(rss),
                Stats.range(rss),
                Stats.median(anon),
                Stats.median(threads),
                first.readySeconds(),
                first.rssMiB());
    }
}
