package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code oqto:process-stop [--grace ms] <user> <name>}: SIGTERM, then SIGKILL after the grace period. */
@Service
@Command(scope = "oqto", name = "process-stop", description = "Stop a process of a user's runner (SIGTERM, then SIGKILL)")
public class ProcessStopCommand implements Action {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", required = true, description = "Platform user")
    String user;

    @Argument(index = 1, name = "name", required = true, description = "Process name")
    String name;

    @Option(name = "--grace", description = "Milliseconds between SIGTERM and SIGKILL (default 5000)")
    long graceMs = 5000;

    @Override
    public Object execute() {
        Map<String, Object> r = runners.request(user, "stop_process", Map.of("name", name, "grace_ms", graceMs));
        System.out.printf("%s of %s stopped (%s), exit code %s%n", name, user,
                Boolean.TRUE.equals(r.get("killed")) ? "killed after the grace period" : "ended on SIGTERM", r.get("exit_code"));
        return null;
    }
}
