package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code oqto:session-stop <user> <id>}: stops the session's agent; the session stays, restartable. */
@Service
@Command(scope = "oqto", name = "session-stop", description = "Stop an agent session of a user (it can be restarted)")
public class SessionStopCommand implements Action {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", required = true, description = "Platform user")
    String user;

    @Argument(index = 1, name = "id", required = true, description = "Session id")
    String id;

    @Override
    public Object execute() {
        Map<?, ?> s = (Map<?, ?>) runners.request(user, "stop_session", Map.of("session", id)).get("session");
        System.out.printf("session %s of %s is %s (%s)%n", id, user, s.get("state"), s.get("stop_reason"));
        return null;
    }
}
