package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.processes.ListProcesses;
import io.oqto.api.runner.processes.ProcessInfo;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jspecify.annotations.Nullable;

/** Completes the process names of the user named first on the command line. */
@Service
public class ProcessNameCompleter extends RunnerItemCompleter {

    @Reference
    RunnerGateway runners;

    @Override
    @Nullable
    RunnerGateway runners() {
        return runners;
    }

    @Override
    List<String> items(RunnerGateway runners, String user) {
        return runners.call(user, new ListProcesses()).processes().stream()
                .map(ProcessInfo::name)
                .toList();
    }
}
