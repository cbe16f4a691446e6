package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.sessions.Session;
import io.oqto.api.runner.sessions.StopSession;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code oqto:session-stop <user> <id>}: stops the session's agent; the session stays, restartable. */
@Service
@Command(scope = "oqto", name = "session-stop", description = "Stop an agent session of a user (it can be restarted)")
public class SessionStopCommand extends OqtoCommand {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", required = true, description = "Platform user")
    @Completion(PlatformUserCompleter.class)
    String user;

    @Argument(index = 1, name = "id", required = true, description = "Session id")
    @Completion(SessionIdCompleter.class)
    String id;

    @Override
    String auditTarget() {
        return userOrSelf(user) + "/" + id;
    }

    @Override
    void run() {
        Session s = runners.call(user, new StopSession(id)).session();
        out.printf("session %s of %s is %s (%s)%n", id, user, s.state(), s.stopReason());
    }
}
