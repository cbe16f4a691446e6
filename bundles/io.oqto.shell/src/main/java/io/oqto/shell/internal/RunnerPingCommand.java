package io.oqto.shell.internal;

import io.oqto.api.runner.PingResult;
import io.oqto.api.runner.RunnerGateway;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code oqto:runner-ping <user>}: one round trip to the user's runner. */
@Service
@Command(scope = "oqto", name = "runner-ping", description = "Ping a user's runner and print the round-trip time")
public class RunnerPingCommand extends OqtoCommand {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", required = true, description = "Platform user")
    @Completion(PlatformUserCompleter.class)
    String user;

    @Override
    void run() {
        PingResult r = runners.ping(user);
        out.printf("runner of %s answered in %.3f ms%n", r.user(), r.roundTripMicros() / 1000.0);
    }
}
