package io.oqto.usermgr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
    private final UserFiles files;

    EavsConfigFiles(Path operatorPart, Duration timeout) {
        this.operatorPart = operatorPart;
        this.files = new UserFiles(timeout);
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
        files.write(a, ".config/eavs/config.toml", config);
        files.write(a, ".config/eavs/env", "EAVS_MASTER_KEY=" + masterKey + "\n");
        return Map.of("config", a.home().resolve(".config/eavs/config.toml").toString(), "port", port);
    }
}
