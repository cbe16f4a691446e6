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

/** {@code oqto:process-list [user]}: the processes a user's runner manages. */
@Service
@Command(scope = "oqto", name = "process-list", description = "List the processes of a user's runner")
public class ProcessListCommand implements Action {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", description = "Platform user (default: the user running the control plane)")
    String user;

    @Override
    public Object execute() {
        ShellTable table = CommandSupport.table("Name", "PID", "Running", "Exit", "Sandboxed", "Command");
        for (Object o : (List<?>) runners.request(CommandSupport.userOrSelf(user), "list_processes", Map.of())
                .get("processes")) {
            Map<?, ?> p = (Map<?, ?>) o;
            table.addRow().addContent(p.get("name"), p.get("pid"), p.get("running"),
                    CommandSupport.blank(p.get("exit_code")), p.get("sandboxed"),
                    String.join(" ", ((List<?>) p.get("argv")).stream().map(String::valueOf).toList()));
        }
        table.print(System.out);
        return null;
    }
}
