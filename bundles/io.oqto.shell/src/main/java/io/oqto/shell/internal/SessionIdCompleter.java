package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.sessions.ListSessions;
import io.oqto.api.runner.sessions.Session;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the session ids of the user named first on the command line. */
@Service
public class SessionIdCompleter extends RunnerItemCompleter {

    @Reference
    RunnerGateway runners;

    public SessionIdCompleter() {
        super(gateway -> user -> gateway.call(user, new ListSessions()).sessions().stream()
                .map(Session::id)
                .toList());
    }

    @Override
    RunnerGateway runners() {
        return runners;
    }
}
