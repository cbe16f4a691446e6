package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerStatus;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code oqto:runner-status [user]}: what the user's runner reports about itself. */
@Service
@Command(
        scope = "oqto",
        name = "runner-status",
        description = "Show the status of a user's runner, fetched over its socket")
public class RunnerStatusCommand extends OqtoCommand {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", description = "Platform user (default: the user running the control plane)")
    @Completion(PlatformUserCompleter.class)
    String user;

    @Override
    void run() {
        RunnerStatus s = runners.status(userOrSelf(user));
        ShellTable table =
                table("User", "Linux user", "UID", "PID", "Version", "Protocol", "Uptime", "Socket", "History");
        table.addRow()
                .addContent(
                        s.user(),
                        s.linuxUser(),
                        s.uid(),
                        s.pid(),
                        s.version(),
                        s.protocol(),
                        formatUptime(s.uptimeMillis()),
                        s.socket(),
                        s.history() == null
                                ? ""
                                : s.history().store() + " (" + s.history().waiting() + " waiting)");
        // Printed rather than returned: a returned value is not shown in non-interactive sessions (bin/client -b).
        print(table);
    }

    static String formatUptime(long ms) {
        long s = ms / 1000;
        return String.format("%dh%02dm%02ds", s / 3600, (s / 60) % 60, s % 60);
    }
}
