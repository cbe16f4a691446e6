package io.oqto.usermgr;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one system command to completion. Every program is an absolute path fixed in this helper's code;
 * arguments come from validated fields only. A command that outlives the timeout is killed.
 */
interface Exec {

    /** Exit code and the combined output (at most 16 KiB of it). */
    record Result(int code, String output) {
        boolean ok() {
            return code == 0;
        }
    }

    Result run(List<String> argv) throws IOException;

    /** Runs {@code argv} and fails with the command's own words unless it exits 0. */
    default String check(List<String> argv) throws IOException {
        Result r = run(argv);
        if (!r.ok()) {
            throw new IOException(String.join(" ", argv) + " failed (exit " + r.code() + "): "
                    + r.output().strip());
        }
        return r.output();
    }

    /** The real thing: a clean environment, no standard input, a timeout. */
    static Exec system(Duration timeout) {
        return argv -> {
            if (!argv.get(0).startsWith("/")) {
                throw new IllegalArgumentException("not an absolute program path: " + argv.get(0));
            }
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            env.put("LC_ALL", "C");
            Process p = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> drain(p.getInputStream(), out), "usermgr exec output");
            reader.setDaemon(true);
            reader.start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(
                            String.join(" ", argv) + " did not finish within " + timeout.toMillis() + " ms; killed");
                }
                reader.join(1000);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + argv.get(0), e);
            }
            synchronized (out) {
                return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
            }
        };
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    if (out.size() < 16 * 1024) {
                        out.write(buf, 0, Math.min(n, 16 * 1024 - out.size()));
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; what was read is what there is
        }
    }
}
