package io.oqto.usermgr;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Files the helper writes into a user's home (their eavs and mmry configuration): by a process running as the user
 * ({@code setpriv}), the content on its standard input, so root never follows a path the user controls and no secret
 * is on a command line; 0600 (umask 077), replaced atomically.
 */
final class UserFiles {

    private final Duration timeout;

    UserFiles(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@code content} into {@code ~/<relative>}, by a shell running as the user with umask 077, replaced atomically. */
    void write(Account a, String relative, String content) throws IOException, Handler.Failed {
        String script =
                "umask 077 && cd \"$HOME\" && mkdir -p \"$(dirname \"$1\")\" && cat > \"$1.tmp\" && mv -f \"$1.tmp\" \"$1\"";
        ProcessBuilder pb = new ProcessBuilder(
                        SupervisedService.asUser(a, List.of("/bin/sh", "-c", script, "sh", relative)))
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("HOME", a.home().toString());
        env.put("PATH", "/usr/bin:/bin");
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(content.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new Handler.Failed("writing ~" + a.name() + "/" + relative + " did not finish in time");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Handler.Failed("interrupted while writing ~" + a.name() + "/" + relative);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new Handler.Failed("cannot write ~" + a.name() + "/" + relative + " as " + a.name() + ": " + output);
        }
    }
}
