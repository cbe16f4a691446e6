package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.sessions.ListSessions;
import io.oqto.api.runner.sessions.Session;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jspecify.annotations.Nullable;

/** Completes the session ids of the user named first on the command line. */
@Service
public class SessionIdCompleter extends RunnerItemCompleter {

    @Reference
    RunnerGateway runners;

    @Override
    @Nullable
    RunnerGateway runners() {
        return runners;
    }

    @Override
    List<String> items(RunnerGateway runners, String user) {
        return runners.call(user, new ListSessions()).sessions().stream()
                .map(Session::id)
                .toList();
    }
}
