package io.oqto.tty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The command line, in ttyd's words so that the runner starts either program the same way:
 * {@code oqto-tty --interface SOCKET [--writable] [--cwd DIR] [--once] [--] COMMAND [ARG…]}. {@code --writable} is
 * accepted and always in force (a terminal nobody can type into serves no one here).
 *
 * @param socket where to listen (a Unix socket, mode 0600)
 * @param cwd where the command starts
 * @param once serve one terminal, then exit (the runner's terminals: the program ends with its shell)
 * @param command what runs in the terminal
 */
record Settings(Path socket, Path cwd, boolean once, List<String> command) {

    /** A command line that cannot be served; the message says why. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Settings parse(String[] args) throws UsageException {
        Path socket = null;
        Path cwd = Path.of(System.getProperty("user.dir"));
        boolean once = false;
        List<String> command = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            } else if (a.equals("--interface") || a.equals("-i")) {
                socket = Path.of(value(args, i++));
            } else if (a.equals("--cwd") || a.equals("-w")) {
                cwd = Path.of(value(args, i++));
            } else if (a.equals("--once") || a.equals("-o")) {
                once = true;
            } else if (a.equals("--writable") || a.equals("-W")) {
                // always writable
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a);
            } else {
                break;
            }
            i++;
        }
        while (i < args.length) {
            command.add(args[i++]);
        }
        if (socket == null) {
            throw new UsageException("--interface SOCKET is required");
        }
        if (command.isEmpty()) {
            throw new UsageException("no command to run");
        }
        return new Settings(socket, cwd, once, List.copyOf(command));
    }

    private static String value(String[] args, int at) throws UsageException {
        @Nullable String v = at + 1 < args.length ? args[at + 1] : null;
        if (v == null) {
            throw new UsageException(args[at] + " needs a value");
        }
        return v;
    }
}
