package io.oqto.shell.internal;

import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.EavsStatus;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code oqto:eavs-status}: whether eavs answers, its providers, and how many keys it holds. */
@Service
@Command(scope = "oqto", name = "eavs-status", description = "Show whether eavs answers, its providers and key counts")
public class EavsStatusCommand extends OqtoCommand {

    @Reference
    EavsAdmin eavs;

    @Override
    void run() {
        EavsStatus s = eavs.status();
        out.println("eavs:      " + (s.baseUrl().isEmpty() ? "(not configured)" : s.baseUrl()));
        out.println("reachable: " + (s.reachable() ? "yes" : "no"));
        out.println("providers: " + String.join(", ", s.providers()));
        out.println("keys:      " + (s.totalKeys() < 0 ? "?" : s.enabledKeys() + " enabled of " + s.totalKeys()));
        if (s.problem() != null) {
            out.println("problem:   " + s.problem());
        }
    }
}
