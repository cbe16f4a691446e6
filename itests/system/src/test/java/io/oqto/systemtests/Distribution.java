package io.oqto.systemtests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An unpacked distribution and the processes started from it, with their output in log files. */
final class Distribution {

    final Path home;
    private final List<Process> started = new ArrayList<>();

    private Distribution(Path home) {
        this.home = home;
    }

    static Distribution unpack(String tarballProperty, Path into) throws IOException, InterruptedException {
        Path tarball = Path.of(System.getProperty(tarballProperty));
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("no tarball at " + tarball + ": build karaf-assembly first");
        }
        Files.createDirectories(into);
        Process tar = new ProcessBuilder(
                        "tar", "xzf", tarball.toString(), "-C", into.toString(), "--strip-components=1")
                .inheritIO()
                .start();
        if (tar.waitFor() != 0) {
            throw new IOException("tar failed for " + tarball);
        }
        return new Distribution(into);
    }

    /** Starts bin/{command}; output goes to {@code log}. The environment gets {@code env} on top of a clean base. */
    Process start(String command, List<String> args, Map<String, String> env, Path log) throws IOException {
        return startAs(null, command, args, env, log);
    }

    /**
     * Like {@link #start}, as Linux user {@code user} (through runuser) when it is not null. The environment
     * given is kept as it is ({@code -m}): runuser would otherwise set HOME from the password database.
     */
    Process startAs(String user, String command, List<String> args, Map<String, String> env, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        if (user != null) {
            cmd.addAll(List.of("runuser", "-m", "-u", user, "--"));
        }
        cmd.add(home.resolve("bin").resolve(command).toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("OQTO_") || k.equals("NOTIFY_SOCKET") || k.startsWith("XDG_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Stops what each started (null entries are skipped: set-up may have failed half way). */
    static void stopAll(Distribution... distributions) throws InterruptedException {
        for (Distribution d : distributions) {
            if (d != null) {
                d.stopAll();
            }
        }
    }

    void stopAll() throws InterruptedException {
        Commands.stop(started);
    }
}
