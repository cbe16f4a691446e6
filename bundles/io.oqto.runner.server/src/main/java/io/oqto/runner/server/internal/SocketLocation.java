package io.oqto.runner.server.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The default socket path of the seed: {@code $XDG_RUNTIME_DIR/oqto-runner.sock}. */
final class SocketLocation {

    static final String SOCKET_NAME = "oqto-runner.sock";

    private SocketLocation() {}

    /** The directory a socket path is in (every resolved socket path is absolute, so it has one). */
    static Path parentOf(Path socket) {
        Path parent = socket.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("a socket path must name a file in a directory: " + socket);
        }
        return parent;
    }

    static Path resolve(@Nullable String configured, Map<String, String> env, int uid) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            return Path.of(runtime, SOCKET_NAME);
        }
        Path fallback = Path.of("/run/user", Integer.toString(uid));
        if (Files.isDirectory(fallback)) {
            return fallback.resolve(SOCKET_NAME);
        }
        throw new IllegalStateException(
                "XDG_RUNTIME_DIR is not set and " + fallback + " does not exist: set [runner] socket or pass --socket");
    }
}
