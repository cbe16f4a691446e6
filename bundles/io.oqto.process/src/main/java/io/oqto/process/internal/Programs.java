package io.oqto.process.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The programs a session is made of, by name, as {@code [programs]} configures them:
 * <ul>
 * <li>{@code pi}: {@code pi --mode rpc [pi_args] [args]} in the requested directory; ready when it answers
 * {@code get_state}.</li>
 * <li>{@code fileserver}: {@code oqto-files --socket S --root WORKSPACE}; ready when {@code GET /health} on S
 * answers 200.</li>
 * <li>{@code ttyd}: {@code ttyd --interface S --writable --cwd DIR [--once] shell…} (a path ending in {@code .sock}
 * makes ttyd listen on a Unix socket); ready when {@code GET /} on S answers 200. Where ttyd is not installed, the
 * runner's own {@code oqto-tty} with the same command line and protocol.</li>
 * </ul>
 * Sockets live in {@code $XDG_RUNTIME_DIR/oqto/} (0700), which is the one writable mount added to the sandbox;
 * a program installed outside the system directories gets its installation mounted read-only.
 */
final class Programs {

    static final List<String> NAMES = List.of("pi", "fileserver", "ttyd");
    static final List<String> SYSTEM_DIRS = List.of("/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/etc/");
    static final int MAX_SOCKET_PATH = 107;
    /** The runner's own terminal program, for where ttyd is not installed. */
    static final String OWN_TERMINAL = "oqto-tty";

    private final ProgramConfig config;
    private final Path home;
    private final @Nullable Path runnerHome;
    private final @Nullable Path runtimeDir;
    private final Path javaHome;

    Programs(ProgramConfig config, Path home, @Nullable Path runnerHome, @Nullable Path runtimeDir, Path javaHome) {
        this.config = config;
        this.home = home;
        this.runnerHome = runnerHome;
        this.runtimeDir = runtimeDir;
        this.javaHome = javaHome;
    }

    /** Where names are looked up: the configured search path, or the default one. */
    String searchPath() {
        String configured = config.searchPath();
        String path = configured.isEmpty()
                ? (runnerHome == null ? "" : runnerHome.resolve("bin") + ":")
                        + "~/.local/bin:~/.bun/bin:/usr/local/bin:/usr/bin:/bin"
                : configured;
        List<String> dirs = new ArrayList<>();
        for (String d : path.split(":", -1)) {
            dirs.add(
                    d.equals("~")
                            ? home.toString()
                            : d.startsWith("~/") ? home.resolve(d.substring(2)).toString() : d);
        }
        return String.join(":", dirs);
    }

    ProgramPlan plan(String program, String name, List<String> args, Path cwd, Path workspaceRoot)
            throws ProtocolException, IOException {
        if (!NAMES.contains(program)) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"program\" must be one of " + NAMES, null);
        }
        if (!args.isEmpty() && !program.equals("pi") && !(program.equals("ttyd") && args.equals(List.of("--once")))) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST, "\"args\" are only taken by pi (and ttyd's one: --once)", null);
        }
        String configured = switch (program) {
            case "pi" -> config.pi();
            case "fileserver" -> config.fileserver();
            default -> config.ttyd();
        };
        Path binary = program.equals("ttyd") ? terminal(configured) : find(program, configured);
        List<Path> readOnly = new ArrayList<>(installation(binary));
        Map<String, String> env = Map.of();
        List<String> argv = new ArrayList<>(List.of(binary.toString()));
        switch (program) {
            case "pi" -> {
                argv.addAll(List.of("--mode", "rpc"));
                argv.addAll(List.of(config.piArgs()));
                argv.addAll(args);
                return new ProgramPlan(argv, cwd, env, readOnly, List.of(), null, Readiness.rpcAnswer());
            }
            case "fileserver" -> {
                Path socket = socket(name);
                argv.addAll(List.of("--socket", socket.toString(), "--root", workspaceRoot.toString()));
                // Our own launcher runs on the runner's JVM, which the sandbox must then show.
                if (javaHome != null && !isSystem(javaHome)) {
                    readOnly.add(javaHome);
                }
                env = javaHome == null ? Map.of() : Map.of("JAVA_HOME", javaHome.toString());
                return new ProgramPlan(
                        argv,
                        workspaceRoot,
                        env,
                        readOnly,
                        List.of(socket.getParent()),
                        socket,
                        Readiness.httpOnSocket(socket, "/health"));
            }
            default -> {
                Path socket = socket(name);
                argv.addAll(List.of("--interface", socket.toString(), "--writable", "--cwd", cwd.toString()));
                argv.addAll(args); // --once: the program ends with its one terminal
                argv.addAll(List.of(config.ttydShell()));
                if (binary.getFileName().toString().equals(OWN_TERMINAL)) {
                    // Our own terminal runs on the runner's JVM, which the sandbox must then show.
                    if (javaHome != null && !isSystem(javaHome)) {
                        readOnly.add(javaHome);
                    }
                    env = javaHome == null ? Map.of() : Map.of("JAVA_HOME", javaHome.toString());
                }
                return new ProgramPlan(
                        argv,
                        cwd,
                        env,
                        readOnly,
                        List.of(socket.getParent()),
                        socket,
                        Readiness.httpOnSocket(socket, "/"));
            }
        }
    }

    /**
     * ttyd where it is installed; else, when {@code [programs] ttyd} is left at its default, the runner's own
     * {@code oqto-tty}, which speaks the same protocol. A ttyd the operator named explicitly is never replaced.
     */
    private Path terminal(String configured) throws ProtocolException {
        try {
            return find("ttyd", configured);
        } catch (ProtocolException e) {
            if (!configured.equals("ttyd")) {
                throw e;
            }
            try {
                return find("ttyd", OWN_TERMINAL);
            } catch (ProtocolException alsoMissing) {
                throw new ProtocolException(
                        ErrorCode.SPAWN_FAILED, e.getMessage() + "; nor is " + OWN_TERMINAL + " there", null);
            }
        }
    }

    private Path find(String program, String configured) throws ProtocolException {
        try {
            return configured.contains("/")
                    ? Executables.resolve(configured, "")
                    : Executables.resolve(configured, searchPath());
        } catch (ProtocolException e) {
            throw new ProtocolException(ErrorCode.SPAWN_FAILED, "[programs] " + program + ": " + e.getMessage(), null);
        }
    }

    /** {@code <runtime>/oqto/<name>.sock}, the directory made private, a stale socket of a dead program removed. */
    private Path socket(String name) throws ProtocolException, IOException {
        if (runtimeDir == null) {
            throw new ProtocolException(
                    ErrorCode.SPAWN_FAILED,
                    "no runtime directory for program sockets: "
                            + "XDG_RUNTIME_DIR is not set and /run/user/<uid> does not exist",
                    null);
        }
        Path dir = runtimeDir.resolve("oqto");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path socket = dir.resolve(name + ".sock");
        if (socket.toString().length() > MAX_SOCKET_PATH) {
            throw new ProtocolException(
                    ErrorCode.SPAWN_FAILED,
                    "socket path " + socket + " is longer than " + MAX_SOCKET_PATH + " bytes",
                    null);
        }
        Files.deleteIfExists(socket);
        return socket;
    }

    /**
     * What to mount read-only so the sandboxed program can run: for {@code <root>/bin/prog} (or
     * {@code node_modules/.bin/prog}) the directory above {@code bin}, following a symlinked install too.
     * Programs in system directories are visible anyway.
     */
    static List<Path> installation(Path binary) throws IOException {
        List<Path> roots = new ArrayList<>();
        for (Path p : List.of(binary.toAbsolutePath().normalize(), binary.toRealPath())) {
            Path root = p.getParent() == null || p.getParent().getParent() == null
                    ? p.getParent()
                    : p.getParent().getParent();
            if (root != null && !isSystem(root) && !roots.contains(root)) {
                roots.add(root);
            }
        }
        return roots;
    }

    static boolean isSystem(Path p) {
        String s = p.toString() + "/";
        return s.equals("/") || SYSTEM_DIRS.stream().anyMatch(s::startsWith);
    }
}
