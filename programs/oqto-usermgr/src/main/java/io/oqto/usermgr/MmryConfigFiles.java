package io.oqto.usermgr;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's mmry configuration, {@code ~/.config/mmry/config.toml}, 0600, written as the user: oqto's part of it. With
 * a central embeddings service ({@code [memory] embeddings_url}) it delegates embeddings there (services-spec §3.2:
 * backend {@code remote}, not required, so the user's mmry falls back to lexical search when it is down), with that
 * service's key when it has one. With one mmry per user ({@code [memory] mmry_url} with {@code {port}}) it opens
 * mmry's HTTP API on the user's loopback port, behind a key made for this user alone (any local user can reach a
 * loopback port), and puts that key in {@code ~/.config/oqto/mmry.key} for the user's runner.
 */
final class MmryConfigFiles {

    private final UserFiles files;

    MmryConfigFiles(Duration timeout) {
        this.files = new UserFiles(timeout);
    }

    Map<String, Object> write(Account a, Command.WriteMmryConfig m) throws IOException, Handler.Failed {
        StringBuilder config = new StringBuilder(
                "# Written by oqto-usermgr at provisioning: oqto's part of mmry's" + " configuration.\n");
        Integer port = m.port();
        String userKey = m.userKey();
        if (port != null && userKey != null) {
            config.append("[external_api]\nenabled = true\nhost = \"127.0.0.1\"\nport = ")
                    .append(port)
                    .append("\nrequire_api_key = true\napi_key = \"")
                    .append(userKey)
                    .append("\"\n\n");
        }
        String embeddingsUrl = m.embeddingsUrl();
        if (embeddingsUrl != null) {
            config.append("[embeddings]\nenabled = true\nbackend = \"remote\"\n\n")
                    .append("[embeddings.remote]\nbase_url = \"")
                    .append(embeddingsUrl)
                    .append("\"\n")
                    .append(m.apiKey() == null ? "" : "api_key = \"" + m.apiKey() + "\"\n")
                    .append("required = false\n\n")
                    .append("[search]\nrerank_enabled = false\n");
        }
        files.write(a, ".config/mmry/config.toml", config.toString());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("config", a.home().resolve(".config/mmry/config.toml").toString());
        if (port != null && userKey != null) {
            files.write(a, ".config/oqto/mmry.key", userKey + "\n");
            result.put("port", port);
        }
        return result;
    }
}
