package io.oqto.terminal.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.HandoverOperation;
import io.oqto.runner.spi.WorkspacePaths;
import io.oqto.runner.spi.process.LaunchException;
import io.oqto.runner.spi.process.ProcessLauncher;
import io.oqto.runner.spi.process.ServingProgram;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's terminals (runner protocol 1.9): each is the program {@code ttyd} (ttyd, or the runner's own oqto-tty)
 * started sandboxed with {@code --once} on its own Unix socket, so it ends with its one shell. {@code create_terminal},
 * {@code list_terminals}, {@code delete_terminal}, and {@code connect_terminal}, which hands that one connection to
 * the caller (the control plane) and takes the runner out of the data path. A terminal whose program ended is gone
 * from the list; when this bundle stops, its terminals end.
 */
@Component(service = io.oqto.runner.spi.RunnerOperation.class)
public final class Terminals implements HandoverOperation {

    /** At most this many terminals per runner. */
    static final int MAX_TERMINALS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(Terminals.class);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    /** A terminal and its program. */
    private record Open(String id, ServingProgram program, String cwd, Instant createdAt, AtomicBoolean connected) {

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("program", program.binary());
            m.put("cwd", cwd);
            m.put("pid", program.process().pid());
            m.put("created_at", createdAt.toString());
            m.put("connected", connected.get());
            return m;
        }
    }

    private final ProcessLauncher launcher;
    private final WorkspacePaths workspace;
    private final Map<String, Open> terminals = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    @Activate
    public Terminals(@Reference ProcessLauncher launcher, @Reference WorkspacePaths workspace) {
        this.launcher = launcher;
        this.workspace = workspace;
    }

    /** A runner that stops (or this bundle's update) ends every terminal: nothing outlives it. */
    @Deactivate
    void deactivate() throws InterruptedException {
        for (Open t : terminals.values()) {
            t.program().process().stop(2000);
        }
        terminals.clear();
    }

    @Override
    public Set<String> types() {
        return Set.of("create_terminal", "list_terminals", "delete_terminal", "connect_terminal");
    }

    @Override
    public Set<String> handoverTypes() {
        return Set.of("connect_terminal");
    }

    @Override
    public Map<String, Object> status() {
        return Map.of("terminals", terminals.size());
    }

    /** An open terminal (watched, or in its grace period for a reconnect) keeps the runner running. */
    @Override
    public List<String> keepsRunning() {
        int open = terminals.size();
        return open == 0 ? List.of() : List.of(open + (open == 1 ? " terminal" : " terminals"));
    }

    @Override
    public Frame handle(Frame r) throws ProtocolException {
        return switch (r.type()) {
            case "create_terminal" -> create(r);
            case "list_terminals" ->
                Frame.of(r.id(), "terminal_list")
                        .with(
                                "terminals",
                                terminals.values().stream()
                                        .sorted(Comparator.comparing(Open::createdAt))
                                        .map(Open::describe)
                                        .toList());
            case "delete_terminal" -> {
                Open t = get(r);
                terminals.remove(t.id(), t);
                try {
                    t.program().process().stop(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield Frame.of(r.id(), "terminal_deleted").with("terminal", t.id());
            }
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "not a terminal request: " + r.type(), null);
        };
    }

    private Frame create(Frame r) throws ProtocolException {
        Object cwdField = r.fields().getOrDefault("cwd", ".");
        if (!(cwdField instanceof String cwd)) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"cwd\" must be a string", null);
        }
        if (terminals.size() >= MAX_TERMINALS) {
            throw new ProtocolException(
                    ErrorCode.BUSY, "this runner already has " + MAX_TERMINALS + " terminals; delete one first", null);
        }
        workspace.existing(cwd); // the workspace's one path rule, answered before anything starts
        String id = newId();
        ServingProgram program;
        try {
            program = launcher.startServing("ttyd", "terminal-" + id, List.of("--once"), cwd);
        } catch (LaunchException e) {
            throw new ProtocolException(e.code(), String.valueOf(e.getMessage()), null);
        }
        Open t = new Open(id, program, cwd, Instant.now(), new AtomicBoolean());
        terminals.put(id, t);
        program.process().exited().whenComplete((code, e) -> {
            if (terminals.remove(id, t)) {
                LOG.info("terminal {} ended (exit {})", id, code);
            }
        });
        LOG.info("terminal {} started: {} in {} ({} ms)", id, program.binary(), cwd, program.readyMs());
        return Frame.of(r.id(), "terminal").with("terminal", t.describe());
    }

    /** {@code connect_terminal}: a fresh connection to the terminal's program, handed over; once per terminal. */
    @Override
    public Handover handover(Frame r) throws ProtocolException {
        Open t = get(r);
        if (!t.connected().compareAndSet(false, true)) {
            throw new ProtocolException(
                    ErrorCode.INVALID_STATE,
                    "terminal " + t.id() + " is connected already (it has one connection)",
                    null);
        }
        Path socket = t.program().socket();
        try {
            AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket));
            return new Handover(
                    Frame.of(r.id(), "terminal_connected").with("terminal", t.id()), s.getFileDescriptor(), s);
        } catch (IOException e) {
            t.connected().set(false);
            throw new ProtocolException(
                    ErrorCode.IO_ERROR,
                    "cannot connect to terminal " + t.id() + " at " + socket + ": " + e.getMessage(),
                    null);
        }
    }

    private Open get(Frame r) throws ProtocolException {
        Object id = r.fields().get("terminal");
        Open t = id instanceof String s ? terminals.get(s) : null;
        if (t == null) {
            throw new ProtocolException(ErrorCode.TERMINAL_NOT_FOUND, "no terminal " + id, null);
        }
        return t;
    }

    private String newId() {
        StringBuilder b = new StringBuilder("t-");
        for (int i = 0; i < 10; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
