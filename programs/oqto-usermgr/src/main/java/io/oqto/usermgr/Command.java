package io.oqto.usermgr;

import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The allow-list of what the helper does, each with validated fields. A request is
 * {@code {"cmd": "<name>", "args": {…}}}; anything else — another command, an unknown or missing argument,
 * a field that breaks its rule — is rejected before anything runs.
 */
sealed interface Command {

    record Ping() implements Command {}

    /** A platform user's Linux account: in the fixed group, home from the skeleton; a null uid: the first free one. */
    record CreateUser(String username, @Nullable Integer uid, String shell, String comment) implements Command {}

    record DeleteUser(String username, boolean keepHome) implements Command {}

    record SetLinger(String username, boolean enabled) implements Command {}

    /** {@code /run/user/<uid>} (0700, the user's) and the control plane's grant to the runner socket's directory. */
    record PrepareRuntime(String username) implements Command {}

    record StartServices(String username) implements Command {}

    record StopServices(String username) implements Command {}

    record ServiceStatus(String username) implements Command {}

    /**
     * Per-user eavs: the user's {@code ~/.config/eavs/config.toml} (port, keys, the operator's providers) and
     * {@code ~/.config/eavs/env} (the master key), written as the user, 0600. {@code toString} leaves the key out.
     */
    record WriteEavsConfig(String username, int port, String masterKey) implements Command {
        @Override
        public String toString() {
            return "WriteEavsConfig[username=" + username + ", port=" + port + "]";
        }
    }

    /**
     * The user's {@code ~/.config/mmry/config.toml}, written as the user, 0600: delegating embeddings to the central
     * service ({@code embeddingsUrl}, with its {@code apiKey}), and/or (per-user mmry) serving its HTTP API on
     * loopback {@code port} behind {@code userKey}, which also goes to {@code ~/.config/oqto/mmry.key} for the
     * user's runner. {@code toString} leaves the keys out.
     */
    record WriteMmryConfig(
            String username,
            @Nullable String embeddingsUrl,
            @Nullable String apiKey,
            @Nullable Integer port,
            @Nullable String userKey)
            implements Command {
        @Override
        public String toString() {
            return "WriteMmryConfig[username=" + username + ", embeddingsUrl=" + embeddingsUrl + ", port=" + port + "]";
        }
    }

    static Command parse(Map<?, ?> request, Validation v) throws Validation.Rejected {
        Validation.exactly(request, Set.of("cmd", "args"));
        if (!(request.get("cmd") instanceof String command)) {
            throw new Validation.Rejected("cmd must be a string");
        }
        String cmd = command; // a plain local: the checker follows it into every branch
        if (!(request.get("args") instanceof Map<?, ?> a)) {
            throw new Validation.Rejected("args must be an object");
        }
        switch (cmd) {
            case "ping" -> {
                Validation.exactly(a, Set.of());
                return new Ping();
            }
            case "create-user" -> {
                Validation.exactly(a, Set.of("username", "uid", "shell", "comment"));
                return new CreateUser(
                        v.linuxUser(a.get("username")),
                        a.get("uid") == null ? null : v.uid(a.get("uid")),
                        v.shell(a.get("shell")),
                        v.comment(a.get("comment")));
            }
            case "delete-user" -> {
                Validation.exactly(a, Set.of("username", "keep_home"));
                return new DeleteUser(v.linuxUser(a.get("username")), flag(a.get("keep_home"), "keep_home"));
            }
            case "set-linger" -> {
                Validation.exactly(a, Set.of("username", "enabled"));
                return new SetLinger(v.linuxUser(a.get("username")), flag(a.get("enabled"), "enabled"));
            }
            case "prepare-runtime" -> {
                Validation.exactly(a, Set.of("username"));
                return new PrepareRuntime(v.linuxUser(a.get("username")));
            }
            case "start-services" -> {
                Validation.exactly(a, Set.of("username"));
                return new StartServices(v.linuxUser(a.get("username")));
            }
            case "stop-services" -> {
                Validation.exactly(a, Set.of("username"));
                return new StopServices(v.linuxUser(a.get("username")));
            }
            case "write-eavs-config" -> {
                Validation.exactly(a, Set.of("username", "port", "master_key"));
                return new WriteEavsConfig(
                        v.linuxUser(a.get("username")),
                        v.port(a.get("port")),
                        v.secret("master_key", a.get("master_key")));
            }
            case "write-mmry-config" -> {
                Validation.exactly(a, Set.of("username", "embeddings_url", "api_key", "port", "user_key"));
                if (a.get("embeddings_url") == null && a.get("port") == null) {
                    throw new Validation.Rejected("nothing to write: neither embeddings_url nor port");
                }
                if ((a.get("port") == null) != (a.get("user_key") == null)) {
                    throw new Validation.Rejected("port and user_key go together: mmry's HTTP API is never open");
                }
                return new WriteMmryConfig(
                        v.linuxUser(a.get("username")),
                        a.get("embeddings_url") == null ? null : v.httpUrl(a.get("embeddings_url")),
                        v.apiKey(a.get("api_key")),
                        a.get("port") == null ? null : v.port(a.get("port")),
                        a.get("user_key") == null ? null : v.secret("user_key", a.get("user_key")));
            }
            case "service-status" -> {
                Validation.exactly(a, Set.of("username"));
                return new ServiceStatus(v.linuxUser(a.get("username")));
            }
            default ->
                throw new Validation.Rejected(
                        "unknown command " + (cmd.length() > 40 ? cmd.substring(0, 40) + "…" : cmd)
                                + " (known: create-user, delete-user, set-linger, prepare-runtime, start-services, stop-services, service-status, write-eavs-config, write-mmry-config, ping)");
        }
    }

    private static boolean flag(@Nullable Object v, String name) throws Validation.Rejected {
        if (!(v instanceof Boolean b)) {
            throw new Validation.Rejected(name + " must be true or false");
        }
        return b;
    }
}
