package io.oqto.usermgr;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A user's own eavs configuration (per-user mode), as the original's setup writes it: {@code config.toml} with the
 * port and the virtual-key settings, followed by the operator's providers ({@code [eavs] user_config}), and
 * {@code env} with the master key, both 0600 in {@code ~/.config/eavs}. Written by a process running as the user
 * ({@code setpriv}), the content on its standard input: root never follows a path the user controls, and the key
 * is on no command line.
 */
final class EavsConfigFiles {

    /** Sections the helper writes itself; the operator's part may not set them. */
    private static final Pattern OWN_SECTIONS = Pattern.compile("(?m)^\\s*\\[\\s*(server|keys)\\s*\\]");

    private final Path operatorPart;
    private final Duration timeout;

    EavsConfigFiles(Path operatorPart, Duration timeout) {
        this.operatorPart = operatorPart;
        this.timeout = timeout;
    }

    Map<String, Object> write(Account a, int port, String masterKey) throws IOException, Handler.Failed {
        String providers;
        try {
            providers = Files.readString(operatorPart);
        } catch (NoSuchFileException e) {
            providers = "# no providers: " + operatorPart + " ([eavs] user_config) does not exist\n";
        }
        if (OWN_SECTIONS.matcher(providers).find()) {
            throw new Handler.Failed(
                    operatorPart + " ([eavs] user_config) may not set [server] or [keys]: oqto writes them");
        }
        String config = "# Written by oqto-usermgr at provisioning: the port and keys are oqto's, the rest is "
                + operatorPart + ".\n"
                + "[server]\nhost = \"127.0.0.1\"\nport = " + port + "\n\n"
                + "[keys]\nenabled = true\nrequire_key = true\nmaster_key = \"env:EAVS_MASTER_KEY\"\n"
                + "allow_self_provisioning = false\n\n" + providers;
        writeAsUser(a, ".config/eavs/config.toml", config);
        writeAsUser(a, ".config/eavs/env", "EAVS_MASTER_KEY=" + masterKey + "\n");
        return Map.of("config", a.home().resolve(".config/eavs/config.toml").toString(), "port", port);
    }

    /** {@code content} into {@code ~/<relative>}, by a shell running as the user with umask 077, replaced atomically. */
    private void writeAsUser(Account a, String relative, String content) throws IOException, Handler.Failed {
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
