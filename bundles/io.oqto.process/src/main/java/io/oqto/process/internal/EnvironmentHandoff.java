package io.oqto.process.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How a spawned program gets its environment without any wrapper seeing it.
 *
 * <p>A spawn runs through a chain of wrappers (the limits wrapper, bubblewrap or setpriv) before the program.
 * Variables applied to that chain would act outside the sandbox (an {@code LD_PRELOAD} loads into bwrap
 * itself), and values put on a command line ({@code bwrap --setenv}) are readable by every local user in
 * {@code /proc/<pid>/cmdline}. So the wrappers run with a fixed, minimal environment of the runner's own,
 * and the program's variables travel in a file only the runner's user can read: a first shell opens it as
 * file descriptor 3, the descriptor survives every wrapper, and a last shell — already inside the sandbox —
 * reads it, closes it and {@code exec}s the program. The file is as private as the program's own
 * {@code /proc/<pid>/environ} (the user and root), lives in a 0700 directory of this process table, and is
 * deleted when its process exits; a directory a killed runner left is removed by the next one. (Deleting it
 * from the opener would cost an {@code rm} process per spawn: measured at about a third of the hand-over.)
 *
 * <p>Some names are refused in requests outright: no program needs them from a caller, and they change how
 * programs are loaded or how shells start (glibc's list of variables it ignores for privileged programs,
 * without {@code TMPDIR}/{@code TZDIR}; the shells' start-up variables; the runner's own plumbing).
 */
final class EnvironmentHandoff {

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    static final Set<String> REFUSED = Set.of(
            "GCONV_PATH",
            "GETCONF_DIR",
            "GLIBC_TUNABLES",
            "HOSTALIASES",
            "LOCALDOMAIN",
            "LOCPATH",
            "MALLOC_TRACE",
            "NIS_PATH",
            "NLSPATH",
            "RESOLV_HOST_CONF",
            "RES_OPTIONS",
            "BASH_ENV",
            "ENV",
            "SHELLOPTS",
            "BASHOPTS",
            "PS4",
            "IFS",
            "NOTIFY_SOCKET");
    static final List<String> REFUSED_PREFIXES = List.of("LD_", "BASH_FUNC_", "OQTO_");

    /** The wrappers' whole environment: a fixed search path, and what they need to find the user's session. */
    static final String WRAPPER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static final List<String> WRAPPER_KEEPS =
            List.of("HOME", "USER", "LOGNAME", "LANG", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS");

    /** The last wrapper, inside the sandbox: takes the variables from descriptor 3, closes it, runs the program. */
    static final String LOADER = ". /dev/fd/3 && exec 3<&- && exec \"$@\"";
    /** The first wrapper: opens the file as descriptor 3 before anything else runs. */
    static final String OPENER = "exec 3<\"$0\" && exec \"$@\"";

    private static final String DIRECTORY_PREFIX = "oqto-env-";

    private final Path directory;

    /** The hand-over directory of this runner process under {@code parent}; leftovers of dead runners go. */
    EnvironmentHandoff(Path parent) throws IOException {
        try (Stream<Path> old = Files.list(parent)) {
            for (Path d : old.filter(d -> d.getFileName().toString().matches(DIRECTORY_PREFIX + "\\d+-.*"))
                    .toList()) {
                String name = d.getFileName().toString().substring(DIRECTORY_PREFIX.length());
                if (ProcessHandle.of(Long.parseLong(name.substring(0, name.indexOf('-'))))
                        .isEmpty()) {
                    deleteTree(d);
                }
            }
        }
        // One per instance: a bundle update or a test may have two process tables in one runner at a time.
        directory = Files.createTempDirectory(
                parent,
                DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    Path directory() {
        return directory;
    }

    /** Removes the directory and what is left in it (every process is stopped by now). */
    void close() throws IOException {
        deleteTree(directory);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Checks a requested variable: a valid name, a string value without NUL, and not one of the refused names. */
    static void check(String name, Object value) throws ProtocolException {
        if (!NAME.matcher(name).matches() || !(value instanceof String v) || v.indexOf('\0') >= 0) {
            throw invalid("\"env\": " + name + " is not a valid variable name with a string value");
        }
        if (refused(name)) {
            throw invalid("\"env\": " + name + " is not allowed: it changes how programs are loaded or shells start "
                    + "(refused: LD_*, BASH_FUNC_*, OQTO_*, " + String.join(", ", new TreeSet<>(REFUSED)) + ")");
        }
    }

    /** The runner's own variables (its systemd notification socket, its settings): not the program's business. */
    private static boolean isRunnerPlumbing(String name) {
        return name.equals("NOTIFY_SOCKET") || name.startsWith("OQTO_");
    }

    static boolean refused(String name) {
        return REFUSED.contains(name) || REFUSED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** The wrappers' environment, derived from the runner's own, never from a request. */
    static Map<String, String> forWrappers(Map<String, String> runner) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", WRAPPER_PATH);
        WRAPPER_KEEPS.stream().filter(runner::containsKey).forEach(k -> env.put(k, runner.get(k)));
        return env;
    }

    /** The program's environment: the runner's (less its plumbing), then the request's on top. */
    static Map<String, String> forProgram(Map<String, String> runner, Map<String, String> requested) {
        Map<String, String> env = new LinkedHashMap<>();
        runner.forEach((k, v) -> {
            if (NAME.matcher(k).matches() && !isRunnerPlumbing(k)) {
                env.put(k, v);
            }
        });
        env.putAll(requested);
        return env;
    }

    /** {@code argv} behind the loader: the command the sandbox (or supervision) is asked to run. */
    static List<String> behindLoader(List<String> argv) {
        return Stream.concat(Stream.of("/bin/sh", "-c", LOADER, "sh"), argv.stream())
                .toList();
    }

    /** {@code command} behind the opener of {@code file}. */
    static List<String> behindOpener(Path file, List<String> command) {
        return Stream.concat(Stream.of("/bin/sh", "-c", OPENER, file.toString()), command.stream())
                .toList();
    }

    /** Writes {@code env} as shell assignments to a new file only this user can read; delete it when its process exits. */
    Path write(Map<String, String> env) throws IOException {
        Path file = Files.createTempFile(
                directory,
                "spawn-",
                "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder s = new StringBuilder();
        env.forEach((k, v) -> s.append("export ")
                .append(k)
                .append("='")
                .append(v.replace("'", "'\\''"))
                .append("'\n"));
        Files.writeString(file, s, StandardCharsets.UTF_8);
        return file;
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, message, null);
    }
}
