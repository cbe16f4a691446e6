package io.oqto.agent.internal;

import io.oqto.runner.spi.process.LaunchedProcess;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC conversation with one pi process: commands go to its stdin with an id; {@code response} lines
 * complete the command with that id; every other line is an event for the session. Lines are split on LF
 * only (the launcher's reader), so U+2028 inside JSON strings is safe.
 */
final class PiConnection {

    private static final Logger LOG = LoggerFactory.getLogger(PiConnection.class);

    /** pi refused a command: its error text. */
    static final class PiError extends Exception {
        private static final long serialVersionUID = 1L;

        PiError(String message) {
            super(message);
        }
    }

    private final Map<String, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Consumer<Map<String, Object>> events;
    /** Set once the process it talks to is launched (it is the launch's stdout reader, so it exists first). */
    private volatile @Nullable LaunchedProcess process;

    private volatile long lastLineNanos = System.nanoTime();

    PiConnection(Consumer<Map<String, Object>> events) {
        this.events = events;
    }

    void attach(LaunchedProcess p) {
        this.process = p;
    }

    @Nullable
    LaunchedProcess process() {
        return process;
    }

    long nanosSinceLastLine() {
        return System.nanoTime() - lastLineNanos;
    }

    /** One stdout line of pi (on the launcher's thread). */
    void onLine(String line) {
        lastLineNanos = System.nanoTime();
        Map<String, Object> m;
        try {
            m = Json.object(line);
        } catch (IOException e) {
            // pi logs to stderr; anything else on stdout is a bug worth seeing, not a reason to stop.
            events.accept(
                    Map.of("type", "oqto_unparsed_line", "line", line.length() > 500 ? line.substring(0, 500) : line));
            return;
        }
        if ("response".equals(m.get("type"))) {
            CompletableFuture<Map<String, Object>> f = m.get("id") instanceof String id ? pending.remove(id) : null;
            if (f == null) {
                LOG.warn(
                        "pi sent a response nobody waits for: {}", line.length() > 300 ? line.substring(0, 300) : line);
                return;
            }
            if (Boolean.TRUE.equals(m.get("success"))) {
                f.complete(m);
            } else {
                f.completeExceptionally(new PiError(String.valueOf(m.getOrDefault("error", "pi refused the command"))));
            }
            return;
        }
        events.accept(m);
    }

    /** Sends {@code type} with {@code fields}; the future completes with pi's response (or PiError). */
    CompletableFuture<Map<String, Object>> send(String type, Map<String, Object> fields) {
        String id = "oqto-" + ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        pending.put(id, f);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("id", id);
        command.put("type", type);
        command.putAll(fields);
        LaunchedProcess p = process;
        try {
            if (p == null) {
                throw new IOException("pi has not been started");
            }
            p.writeLine(Json.write(command));
        } catch (IOException e) {
            pending.remove(id);
            f.completeExceptionally(new PiError("pi is not reading its input: " + e.getMessage()));
        }
        return f;
    }

    /** Fails every command still waiting (pi is gone). */
    void failPending(String why) {
        pending.values().forEach(f -> f.completeExceptionally(new PiError(why)));
        pending.clear();
    }
}
