package io.oqto.shell.internal;

import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.UserProvisioning;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes platform user names: the provisioned users, or the one user of single-user mode. */
@Service
public class PlatformUserCompleter implements Completer {

    @Reference(optional = true)
    UserProvisioning users;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        try {
            if (users != null) {
                users.list().stream().map(PlatformUser::name).forEach(names.getStrings()::add);
            }
        } catch (RuntimeException e) {
            // single-user mode, or the helper not answering: offer the one user there is
        }
        if (names.getStrings().isEmpty()) {
            names.getStrings().add(System.getProperty("user.name"));
        }
        return names.complete(session, commandLine, candidates);
    }
}
