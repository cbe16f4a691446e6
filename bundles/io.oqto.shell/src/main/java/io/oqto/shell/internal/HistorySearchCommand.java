package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.history.SearchHistory;
import io.oqto.api.runner.history.SearchHit;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code oqto:history-search <user> <query> [-r role] [-n N]}: messages of a user's history with those words. */
@Service
@Command(scope = "oqto", name = "history-search", description = "Search a user's chat history")
public class HistorySearchCommand extends OqtoCommand {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", description = "Platform user", required = true)
    @Completion(PlatformUserCompleter.class)
    String user;

    @Argument(index = 1, name = "query", description = "The words to look for", required = true, multiValued = true)
    java.util.List<String> query;

    @Option(name = "-r", aliases = "--role", description = "Only messages of this role: user, assistant, tool, …")
    String role;

    @Option(name = "-n", aliases = "--limit", description = "How many hits (1-1000, default 20)")
    int limit = 20;

    @Override
    void run() {
        var results = runners.call(user, new SearchHistory(String.join(" ", query), null, role, null, null, limit));
        ShellTable table = table("Conversation", "Idx", "Role", "Time", "Snippet");
        for (SearchHit h : results.hits()) {
            table.addRow().addContent(h.conversation(), h.idx(), h.role(), h.createdAt(), h.snippet());
        }
        print(table);
    }
}
