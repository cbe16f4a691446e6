package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import java.util.List;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.jspecify.annotations.Nullable;

/**
 * Completes something a user's runner has (a session id, a process name) for the commands whose first
 * argument is the user: asks that runner, and offers nothing when it cannot be asked.
 */
abstract class RunnerItemCompleter implements Completer {

    /** The gateway the shell injected, or null before it did. */
    abstract @Nullable RunnerGateway runners();

    /** What the user's runner has to offer. */
    abstract List<String> items(RunnerGateway runners, String user);

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        String user = firstArgument(commandLine);
        StringsCompleter names = new StringsCompleter();
        RunnerGateway runners = runners();
        if (user != null && runners != null) {
            try {
                names.getStrings().addAll(items(runners, user));
            } catch (RuntimeException e) {
                return -1; // the runner is not there: nothing to offer
            }
        }
        return names.complete(session, commandLine, candidates);
    }

    /** The word after the command name that is not an option (nor an option's value), if it is complete. */
    static @Nullable String firstArgument(CommandLine line) {
        String[] words = line.getArguments();
        for (int i = 1; i < words.length && i < line.getCursorArgumentIndex(); i++) {
            if (words[i].startsWith("-")) {
                i++; // an option's value follows it: --grace 2000
                continue;
            }
            return words[i];
        }
        return null;
    }
}
