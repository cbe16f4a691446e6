package io.oqto.hstry.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where hstry listens, found the way hstry's own client finds it (services-spec §1.1): its Unix socket
 * {@code $XDG_STATE_HOME/hstry/service.sock} when it exists; else a TCP port from {@code HSTRY_SERVICE_PORT}, else
 * from {@code service.port} in the state directory, then {@code ~/.local/state/hstry/service.port}, then
 * {@code ~/.config/hstry/service.port}; on 127.0.0.1. {@code HSTRY_NO_SERVICE=1} turns the service off.
 */
final class HstryDiscovery {

    /** A place hstry may be reached at. */
    sealed interface Endpoint {}

    record UnixSocket(Path path) implements Endpoint {}

    record Tcp(int port) implements Endpoint {}

    private HstryDiscovery() {}

    /** The candidates in the order hstry's client tries them; empty when the service is off or nothing is found. */
    static List<Endpoint> candidates(Map<String, String> env, Path home) {
        List<Endpoint> found = new ArrayList<>();
        if ("1".equals(env.get("HSTRY_NO_SERVICE"))) {
            return found;
        }
        String xdg = env.get("XDG_STATE_HOME");
        Path state =
                (xdg != null && xdg.startsWith("/") ? Path.of(xdg) : home.resolve(".local/state")).resolve("hstry");
        Path socket = state.resolve("service.sock");
        if (Files.exists(socket)) {
            found.add(new UnixSocket(socket));
        }
        port(env.get("HSTRY_SERVICE_PORT"))
                .or(() -> portFile(state.resolve("service.port")))
                .or(() -> portFile(home.resolve(".local/state/hstry/service.port")))
                .or(() -> portFile(home.resolve(".config/hstry/service.port")))
                .ifPresent(p -> found.add(new Tcp(p)));
        return found;
    }

    private static Optional<Integer> portFile(Path file) {
        try {
            return port(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> port(@Nullable String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            int p = Integer.parseInt(text.strip());
            return p > 0 && p < 65536 ? Optional.of(p) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
