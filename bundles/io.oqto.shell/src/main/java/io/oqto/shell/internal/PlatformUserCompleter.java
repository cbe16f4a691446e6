package io.oqto.shell.internal;

import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.UserProvisioning;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.jspecify.annotations.Nullable;

/** Completes platform user names: the provisioned users, or the one user of single-user mode. */
@Service
public class PlatformUserCompleter implements Completer {

    @Reference(optional = true)
    @Nullable
    UserProvisioning users;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> names = new ArrayList<>();
        try {
            if (users != null) {
                users.list().stream().map(PlatformUser::name).forEach(names::add);
            }
        } catch (RuntimeException e) {
            // single-user mode, or the helper not answering: offer the one user there is
        }
        if (names.isEmpty()) {
            names.add(System.getProperty("user.name"));
        }
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
