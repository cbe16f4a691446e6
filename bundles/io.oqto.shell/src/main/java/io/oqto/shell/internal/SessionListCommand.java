package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code oqto:session-list [user]}: a user's agent sessions, with their state and why a stopped one stopped. */
@Service
@Command(scope = "oqto", name = "session-list", description = "List the agent sessions of a user's runner")
public class SessionListCommand implements Action {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", description = "Platform user (default: the user running the control plane)")
    String user;

    @Override
    public Object execute() {
        ShellTable table = CommandSupport.table("Session", "State", "Reason", "Model", "PID", "Events", "Watchers", "Created");
        for (Object o : (List<?>) runners.request(CommandSupport.userOrSelf(user), "list_sessions", Map.of()).get("sessions")) {
            Map<?, ?> s = (Map<?, ?>) o;
            table.addRow().addContent(s.get("id"), s.get("state"), CommandSupport.blank(s.get("stop_reason")), CommandSupport.blank(s.get("model")),
                    CommandSupport.blank(s.get("pid")), s.get("last_seq"), s.get("subscribers"), s.get("created_at"));
        }
        table.print(System.out);
        return null;
    }
}
