package io.oqto.usermgr;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A user's mmry configuration when the deployment has a central embeddings service ({@code [memory] embeddings_url}):
 * {@code ~/.config/mmry/config.toml} delegating embeddings to it (services-spec §3.2: backend {@code remote}, not
 * required, so the user's mmry falls back to lexical search when it is down), with its key when it has one; 0600,
 * written as the user.
 */
final class MmryConfigFiles {

    private final UserFiles files;

    MmryConfigFiles(Duration timeout) {
        this.files = new UserFiles(timeout);
    }

    Map<String, Object> write(Account a, String embeddingsUrl, @Nullable String apiKey)
            throws IOException, Handler.Failed {
        String config = "# Written by oqto-usermgr at provisioning: embeddings are delegated to the central service.\n"
                + "[embeddings]\nenabled = true\nbackend = \"remote\"\n\n"
                + "[embeddings.remote]\nbase_url = \"" + embeddingsUrl + "\"\n"
                + (apiKey == null ? "" : "api_key = \"" + apiKey + "\"\n")
                + "required = false\n\n"
                + "[search]\nrerank_enabled = false\n";
        files.write(a, ".config/mmry/config.toml", config);
        return Map.of("config", a.home().resolve(".config/mmry/config.toml").toString());
    }
}
