package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.processes.ListProcesses;
import io.oqto.api.runner.processes.ProcessInfo;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code oqto:process-list [user]}: the processes a user's runner manages. */
@Service
@Command(scope = "oqto", name = "process-list", description = "List the processes of a user's runner")
public class ProcessListCommand extends OqtoCommand {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", description = "Platform user (default: the user running the control plane)")
    @Completion(PlatformUserCompleter.class)
    String user;

    @Override
    void run() {
        ShellTable table = table("Name", "PID", "Running", "Exit", "Sandboxed", "Command");
        for (ProcessInfo p : runners.call(userOrSelf(user), new ListProcesses()).processes()) {
            table.addRow()
                    .addContent(
                            p.name(),
                            p.pid(),
                            p.running(),
                            blank(p.exitCode()),
                            p.sandboxed(),
                            String.join(" ", p.argv()));
        }
        print(table);
    }
}
