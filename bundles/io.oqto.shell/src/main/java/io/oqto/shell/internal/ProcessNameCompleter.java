package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.processes.ListProcesses;
import io.oqto.api.runner.processes.ProcessInfo;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the process names of the user named first on the command line. */
@Service
public class ProcessNameCompleter extends RunnerItemCompleter {

    @Reference
    RunnerGateway runners;

    public ProcessNameCompleter() {
        super(gateway -> user -> gateway.call(user, new ListProcesses()).processes().stream()
                .map(ProcessInfo::name)
                .toList());
    }

    @Override
    RunnerGateway runners() {
        return runners;
    }
}
