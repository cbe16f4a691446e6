package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.sessions.ListSessions;
import io.oqto.api.runner.sessions.Session;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code oqto:session-list [user]}: a user's agent sessions, with their state and why a stopped one stopped. */
@Service
@Command(scope = "oqto", name = "session-list", description = "List the agent sessions of a user's runner")
public class SessionListCommand extends OqtoCommand {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", description = "Platform user (default: the user running the control plane)")
    @Completion(PlatformUserCompleter.class)
    String user;

    @Override
    void run() {
        ShellTable table =
                table("Session", "State", "Reason", "Model", "PID", "Events", "Watchers", "Cost (USD)", "Created");
        for (Session s : runners.call(userOrSelf(user), new ListSessions()).sessions()) {
            table.addRow()
                    .addContent(
                            s.id(),
                            s.state(),
                            blank(s.stopReason()),
                            blank(s.model()),
                            blank(s.pid()),
                            s.lastSeq(),
                            s.subscribers(),
                            s.cost() == null ? "" : UsageCommand.money(s.cost().usd()),
                            s.createdAt());
        }
        print(table);
    }
}
