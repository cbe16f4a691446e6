package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.memory.MemoryHit;
import io.oqto.api.runner.memory.MemoryHits;
import io.oqto.api.runner.memory.SearchMemories;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code oqto:memory-search <user> <query> [-w dir] [-m mode] [-n N]}: a user's memories for a query, best first. */
@Service
@Command(scope = "oqto", name = "memory-search", description = "Search a user's memories")
public class MemorySearchCommand extends OqtoCommand {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", description = "Platform user", required = true)
    @Completion(PlatformUserCompleter.class)
    String user;

    @Argument(index = 1, name = "query", description = "What to look for", required = true, multiValued = true)
    List<String> query;

    @Option(name = "-w", aliases = "--workspace", description = "Workspace directory (default: the workspace root)")
    String workspace;

    @Option(name = "-m", aliases = "--mode", description = "lexical, semantic or hybrid (default)")
    String mode;

    @Option(name = "-n", aliases = "--limit", description = "How many (1-100, default 10)")
    int limit = 10;

    @Override
    void run() {
        MemoryHits found = runners.call(user, new SearchMemories(String.join(" ", query), limit, mode, workspace));
        ShellTable table = table("Score", "Memory", "Category", "Tags", "Content");
        for (MemoryHit h : found.hits()) {
            table.addRow()
                    .addContent(
                            String.format("%.3f", h.score()),
                            h.memory().id(),
                            h.memory().category(),
                            String.join(",", h.memory().tags()),
                            h.memory().content());
        }
        print(table);
        out.println("mode: " + found.mode() + (found.degraded() == null ? "" : " (" + found.degraded() + ")"));
    }
}
