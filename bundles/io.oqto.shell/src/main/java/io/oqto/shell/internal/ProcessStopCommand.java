package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.processes.ProcessStopped;
import io.oqto.api.runner.processes.StopProcess;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code oqto:process-stop [--grace ms] <user> <name>}: SIGTERM, then SIGKILL after the grace period. */
@Service
@Command(
        scope = "oqto",
        name = "process-stop",
        description = "Stop a process of a user's runner (SIGTERM, then SIGKILL)")
public class ProcessStopCommand extends OqtoCommand {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", required = true, description = "Platform user")
    @Completion(PlatformUserCompleter.class)
    String user;

    @Argument(index = 1, name = "name", required = true, description = "Process name")
    @Completion(ProcessNameCompleter.class)
    String name;

    @Option(name = "--grace", description = "Milliseconds between SIGTERM and SIGKILL (default 5000)")
    long graceMs = 5000;

    @Override
    String auditTarget() {
        return userOrSelf(user) + "/" + name;
    }

    @Override
    void run() {
        ProcessStopped r = runners.call(user, new StopProcess(name, graceMs));
        out.printf(
                "%s of %s stopped (%s), exit code %s%n",
                name, user, r.killed() ? "killed after the grace period" : "ended on SIGTERM", r.exitCode());
    }
}
