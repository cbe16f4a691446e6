package io.oqto.process.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.SequencedBuffer;
import io.oqto.runner.spi.WorkspacePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The process requests of the runner protocol, read off the wire and answered from the {@link ProcessTable}:
 * {@code spawn_process} (inside the workspace), {@code list_processes}, {@code process_status},
 * {@code read_output}, {@code write_stdin}, {@code signal_process}, {@code stop_process} (SIGTERM, grace,
 * SIGKILL of the tree), and the feeds of {@code subscribe_output}.
 */
final class ProcessRequests {

    static final Set<String> TYPES = Set.of(
            "spawn_process",
            "list_processes",
            "process_status",
            "read_output",
            "write_stdin",
            "signal_process",
            "stop_process",
            "subscribe_output");
    static final Set<String> SIGNALS = Set.of("TERM", "KILL", "INT", "HUP", "USR1", "USR2", "STOP", "CONT");

    private final ProcessTable table;
    private final WorkspacePaths workspace;
    /** Output feeds open (the runner server holds the subscriptions), for {@code list_processes}. */
    private final AtomicInteger feeds = new AtomicInteger();

    ProcessRequests(ProcessTable table, WorkspacePaths workspace) {
        this.table = table;
        this.workspace = workspace;
    }

    /** {@code subscribe_output}: the process's output from {@code after} on, and its exits. */
    EventFeed subscribe(Frame r) throws ProtocolException {
        ManagedProcess p = get(r);
        feeds.incrementAndGet();
        return new OutputFeed(p, Math.max(r.number("after", 0), 0), table::process, feeds::decrementAndGet);
    }

    Frame handle(Frame r) throws ProtocolException {
        try {
            return switch (r.type()) {
                case "spawn_process" -> spawn(r);
                case "list_processes" -> list(r);
                case "process_status" -> Frame.of(r.id(), "process_status").with("process", get(r).describe());
                case "read_output" -> read(r);
                case "write_stdin" ->
                    Frame.of(r.id(), "stdin_written")
                            .with(
                                    "bytes_written",
                                    get(r).writeStdin(text(r, "data").getBytes(StandardCharsets.UTF_8)));
                case "signal_process" -> signal(r);
                case "stop_process" -> stop(r);
                default ->
                    throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "not a process request: " + r.type(), null);
            };
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.IO_ERROR, String.valueOf(e.getMessage()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProtocolException(ErrorCode.INTERNAL, "interrupted", null);
        }
    }

    private Frame spawn(Frame r) throws ProtocolException, IOException, InterruptedException {
        List<String> argv = strings(r.fields().get("argv"), "argv");
        if (argv.isEmpty()) {
            throw invalid("\"argv\" must name a program");
        }
        Object cwdField = r.fields().getOrDefault("cwd", ".");
        if (!(cwdField instanceof String cwdText)) {
            throw invalid("\"cwd\" must be a string");
        }
        Object profile = r.fields().get("profile");
        if (profile != null && !(profile instanceof String)) {
            throw invalid("\"profile\" must be the name of a built-in sandbox profile");
        }
        SpawnRequest request = SpawnRequest.builder(text(r, "name"), argv, workspace.existing(cwdText))
                .env(env(r.fields().get("env")))
                .sandboxed(!Boolean.FALSE.equals(r.fields().get("sandboxed")))
                .profile((String) profile)
                .restart(RestartPolicy.parse(r.fields().get("restart")))
                .limits(r.fields().get("limits"))
                .build();
        return Frame.of(r.id(), "process_spawned")
                .with("process", table.spawn(request).describe());
    }

    private Frame list(Frame r) {
        List<Map<String, Object>> all =
                table.all().stream().map(ManagedProcess::describe).toList();
        return Frame.of(r.id(), "process_list")
                .with("processes", all)
                .with("limits", table.limitsReport())
                .with("subscriptions", feeds.get());
    }

    private Frame read(Frame r) throws ProtocolException {
        ManagedProcess p = get(r);
        long after = r.number("after", 0);
        int max = (int) Math.min(Math.max(r.number("max", 1000), 1), 5000);
        SequencedBuffer.Slice<OutputBuffer.Line> s = p.output().after(after, max);
        return Frame.of(r.id(), "output")
                .with("lines", OutputBuffer.wire(s.items()))
                .with("next", s.next())
                .with("dropped", s.missed())
                .with("running", p.running())
                .with("exit_code", p.exitCode());
    }

    private Frame signal(Frame r) throws ProtocolException, IOException, InterruptedException {
        String sig = text(r, "signal");
        if (!SIGNALS.contains(sig)) {
            throw invalid("\"signal\" must be one of " + new TreeSet<>(SIGNALS));
        }
        get(r).signal(sig);
        return Frame.of(r.id(), "signal_sent");
    }

    private Frame stop(Frame r) throws ProtocolException, InterruptedException {
        ManagedProcess p = get(r);
        long grace = Math.min(Math.max(r.number("grace_ms", 5000), 0), 60_000);
        boolean killed = p.stop(grace);
        return Frame.of(r.id(), "process_stopped").with("killed", killed).with("exit_code", p.exitCode());
    }

    private ManagedProcess get(Frame r) throws ProtocolException {
        String id = text(r, "name");
        ManagedProcess p = table.process(id);
        if (p == null) {
            throw new ProtocolException(ErrorCode.PROCESS_NOT_FOUND, "no process named " + id, null);
        }
        return p;
    }

    private static String text(Frame r, String key) throws ProtocolException {
        if (!(r.fields().get(key) instanceof String s)) {
            throw invalid("\"" + key + "\" is required and must be a string");
        }
        return s;
    }

    private static List<String> strings(@Nullable Object value, String key) throws ProtocolException {
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw invalid("\"" + key + "\" must be an array of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static Map<String, String> env(@Nullable Object value) throws ProtocolException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw invalid("\"env\" must be an object of strings");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            EnvironmentHandoff.check(String.valueOf(e.getKey()), e.getValue());
            env.put((String) e.getKey(), (String) e.getValue());
        }
        return env;
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, message, null);
    }
}
