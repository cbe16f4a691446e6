package io.oqto.process.internal;

import io.oqto.process.internal.limits.LimitEnforcers;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.RunnerOperation;
import io.oqto.runner.spi.StreamingOperation;
import io.oqto.runner.spi.WorkspacePaths;
import io.oqto.runner.spi.sandbox.SandboxService;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes the user's process table: its protocol requests ({@link ProcessRequests}) as a
 * {@link RunnerOperation}, and spawning ({@link ProcessSpawner}) for the named programs. On deactivate every
 * process is stopped.
 */
@Component(
        service = {RunnerOperation.class, ProcessSpawner.class},
        configurationPid = "oqto.processes",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProcessConfig.class)
public final class ProcessComponent implements StreamingOperation, ProcessSpawner {

    private final ProcessTable table;
    private final ProcessRequests requests;

    @Activate
    public ProcessComponent(
            @Reference WorkspacePaths workspace, @Reference SandboxService sandbox, ProcessConfig config) {
        this(workspace, sandbox, config, LimitEnforcers.Host.current());
    }

    ProcessComponent(WorkspacePaths workspace, SandboxService sandbox, ProcessConfig config, LimitEnforcers.Host host) {
        this.table = new ProcessTable(sandbox, config, host);
        this.requests = new ProcessRequests(table, workspace);
    }

    @Modified
    void modified(ProcessConfig config) {
        table.configure(config);
    }

    @Deactivate
    void deactivate() {
        table.close();
    }

    @Override
    public Set<String> types() {
        return ProcessRequests.TYPES;
    }

    @Override
    public Set<String> subscribingTypes() {
        return Set.of("subscribe_output");
    }

    @Override
    public EventFeed subscribe(Frame request) throws ProtocolException {
        return requests.subscribe(request);
    }

    /** The runner's status counts the processes running (agents' pi processes among them). */
    @Override
    public Map<String, Object> status() {
        return Map.of("processes", table.running());
    }

    /** A running process (a user's, an agent's pi, a terminal's) keeps the runner running. */
    @Override
    public List<String> keepsRunning() {
        long running = table.running();
        return running == 0 ? List.of() : List.of(running + (running == 1 ? " process" : " processes"));
    }

    @Override
    public Frame handle(Frame request) throws ProtocolException {
        return requests.handle(request);
    }

    @Override
    public ManagedProcess spawn(SpawnRequest request) throws ProtocolException, IOException, InterruptedException {
        return table.spawn(request);
    }

    /** For tests: the table behind it. */
    ProcessTable table() {
        return table;
    }
}
