package io.oqto.shell.internal;

import io.oqto.api.eavs.AdminUsage;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.OwnerUsage;
import io.oqto.api.eavs.UserUsage;
import io.oqto.api.eavs.VirtualKey;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code oqto:usage [user] [--days N]}: a user's LLM requests, tokens and cost from eavs, with their keys' budgets;
 * {@code oqto:usage --all}: every user's.
 */
@Service
@Command(scope = "oqto", name = "usage", description = "Show LLM usage and cost from eavs, of one user or of all")
public class UsageCommand extends OqtoCommand {

    @Reference
    EavsAdmin eavs;

    @Argument(index = 0, name = "user", description = "Platform user (default: the user running the control plane)")
    @Completion(PlatformUserCompleter.class)
    String user;

    @Option(name = "--days", description = "The period, in days back from now (1-90)")
    int days = 30;

    @Option(name = "--all", description = "Every user, in total over the period")
    boolean all;

    @Override
    void run() {
        if (all) {
            AdminUsage usage = eavs.usageByOwner(days);
            ShellTable table = table("User", "Requests", "Input tokens", "Output tokens", "Cost (USD)");
            for (OwnerUsage u : usage.total()) {
                table.addRow()
                        .addContent(
                                u.owner().isEmpty() ? "(no owner)" : u.owner(),
                                u.requests(),
                                u.inputTokens(),
                                u.outputTokens(),
                                money(u.costUsd()));
            }
            out.println("Last " + days + " days:");
            print(table);
            return;
        }
        UserUsage u = eavs.usage(userOrSelf(user), days);
        out.println(u.owner() + ", last " + days + " days: " + u.total().requests() + " requests, "
                + u.total().inputTokens() + " input and " + u.total().outputTokens() + " output tokens, "
                + money(u.total().costUsd()) + " USD");
        ShellTable keys = table("Key", "State", "Budget (USD)", "Window", "Spent (USD)", "RPM");
        for (VirtualKey k : u.keys()) {
            keys.addRow()
                    .addContent(
                            k.keyId(),
                            k.disabled() ? "revoked" : "enabled",
                            k.budgetUsd() == null ? "" : money(k.budgetUsd()),
                            blank(k.budgetWindow()),
                            money(k.spendUsd()),
                            blank(k.rpmLimit()));
        }
        print(keys);
    }

    static String money(double usd) {
        return String.format(Locale.ROOT, "%.4f", usd);
    }
}
