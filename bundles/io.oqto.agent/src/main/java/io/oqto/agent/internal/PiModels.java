package io.oqto.agent.internal;

import io.oqto.api.unix.Home;
import io.oqto.runner.spi.PrivateFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes pi's {@code models.json} from {@code [agent] providers}. An entry is five words:
 * {@code name api base_url key models}, e.g. {@code "eavs openai-completions http://127.0.0.1:3033/v1 env:EAVS_KEY gpt-5,gpt-5-mini"}.
 * {@code key} is {@code env:VAR} (pi reads the variable from its environment), {@code file:/PATH} (the runner
 * reads the file, as the user it runs as, when it writes models.json) or {@code literal:VALUE} (the config
 * loader refuses that in a file other users can read).
 */
final class PiModels {

    static final Set<String> APIS =
            Set.of("openai-completions", "openai-responses", "anthropic-messages", "google-generative-ai");

    private PiModels() {}

    /** Checks the entries' form without reading any key file; IllegalArgumentException names a bad entry. */
    static void check(String[] entries) {
        parse(entries, false);
    }

    /** The models.json content for the entries without their keys (every {@code apiKey} null), for listing. */
    static Map<String, Object> withoutKeys(String[] entries) {
        return parse(entries, false);
    }

    /** The models.json content for the entries, key files read; IllegalArgumentException names a bad entry. */
    static Map<String, Object> of(String[] entries) {
        return parse(entries, true);
    }

    private static Map<String, Object> parse(String[] entries, boolean readKeys) {
        Map<String, Object> providers = new LinkedHashMap<>();
        for (String entry : entries) {
            String[] w = entry.trim().split("\\s+", -1);
            if (w.length != 5) {
                throw new IllegalArgumentException(
                        "[agent] providers entry \"" + entry + "\": need 5 words: name api base_url key models");
            }
            if (!APIS.contains(w[1])) {
                throw new IllegalArgumentException(
                        "[agent] providers entry \"" + entry + "\": api must be one of " + new TreeSet<>(APIS));
            }
            if (!w[2].startsWith("http://") && !w[2].startsWith("https://")) {
                throw new IllegalArgumentException(
                        "[agent] providers entry \"" + entry + "\": base_url must be an http(s) URL");
            }
            String key;
            if (w[3].startsWith("env:") && w[3].length() > 4) {
                key = w[3].substring(4);
            } else if (w[3].startsWith("literal:")) {
                key = w[3].substring(8);
            } else if (w[3].startsWith("file:/")) {
                key = readKeys ? readKey(w[0], Path.of(w[3].substring(5))) : null;
            } else {
                throw new IllegalArgumentException(
                        "[agent] providers entry \"" + entry + "\": key must be env:VAR, file:/PATH or literal:VALUE");
            }
            List<Map<String, Object>> models = new ArrayList<>();
            for (String id : w[4].split(",", -1)) {
                if (id.isEmpty()) {
                    throw new IllegalArgumentException(
                            "[agent] providers entry \"" + entry + "\": an empty model name");
                }
                models.add(Map.of("id", id));
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("baseUrl", w[2]);
            p.put("api", w[1]);
            p.put("apiKey", key);
            p.put("models", models);
            providers.put(w[0], p);
        }
        return Map.of("providers", providers);
    }

    private static String readKey(String provider, Path file) {
        try {
            String key = Files.readString(file).strip();
            if (key.isEmpty() || key.contains("\n")) {
                throw new IllegalArgumentException("[agent] providers entry \"" + provider + "\": key file " + file
                        + " must hold the key on one line");
            }
            return key;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "[agent] providers entry \"" + provider + "\": cannot read key file " + file
                            + " as " + System.getProperty("user.name") + ": "
                            + (e instanceof AccessDeniedException
                                    ? "permission denied"
                                    : e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
        }
    }

    /** Writes {@code <agentDir>/models.json} atomically, 0600 (it may hold a key). */
    static void write(Path agentDir, Map<String, Object> content) throws IOException {
        PrivateFiles.write(agentDir.resolve("models.json"), Json.write(content));
    }

    /** pi's agent directory: {@code $PI_CODING_AGENT_DIR}, else {@code ~/.pi/agent}. */
    static Path agentDir() {
        String env = System.getenv("PI_CODING_AGENT_DIR");
        return env != null && env.startsWith("/")
                ? Path.of(env)
                : Home.current().resolve(".pi").resolve("agent");
    }
}
