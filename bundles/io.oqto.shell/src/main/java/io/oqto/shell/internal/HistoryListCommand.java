package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.history.HistoryConversation;
import io.oqto.api.runner.history.HistoryList;
import io.oqto.api.runner.history.ListHistory;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code oqto:history-list <user> [-n N]}: a user's conversations in history, newest first, and where they are kept. */
@Service
@Command(scope = "oqto", name = "history-list", description = "List a user's conversations in chat history")
public class HistoryListCommand extends OqtoCommand {

    @Reference
    RunnerGateway runners;

    @Argument(index = 0, name = "user", description = "Platform user (default: the user running the control plane)")
    @Completion(PlatformUserCompleter.class)
    String user;

    @Option(name = "-n", aliases = "--limit", description = "How many (1-1000, default 50)")
    int limit = 50;

    @Override
    void run() {
        HistoryList list = runners.call(userOrSelf(user), new ListHistory(limit, null));
        ShellTable table = table(
                "Conversation",
                "Title",
                "Workspace",
                "Model",
                "Messages",
                "Tokens",
                "Cost (USD)",
                "Updated",
                "Running");
        for (HistoryConversation c : list.conversations()) {
            table.addRow()
                    .addContent(
                            c.id(),
                            blank(c.title()),
                            blank(c.workspace()),
                            blank(c.model()),
                            c.messages(),
                            c.tokens(),
                            UsageCommand.money(c.costUsd()),
                            c.updatedAt(),
                            c.running() ? "yes" : "");
        }
        print(table);
        out.println("store: " + list.history().store() + ", writes waiting: "
                + list.history().waiting());
    }
}
