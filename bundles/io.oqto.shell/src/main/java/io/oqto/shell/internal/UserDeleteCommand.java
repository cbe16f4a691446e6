package io.oqto.shell.internal;

import io.oqto.api.users.UserProvisioning;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code oqto:user-delete [--keep-home] <name>}: stops the services, disables lingering, ends the user's
 * processes, removes the Linux account (and home), the runner socket, tokens and record.
 */
@Service
@Command(
        scope = "oqto",
        name = "user-delete",
        description = "Delete a platform user, their processes and Linux account")
public class UserDeleteCommand extends OqtoCommand {

    @Reference
    UserProvisioning users;

    @Argument(index = 0, name = "name", required = true, description = "Platform user")
    @Completion(PlatformUserCompleter.class)
    String name;

    @Option(name = "--keep-home", description = "Leave the home directory in place")
    boolean keepHome;

    @Override
    String auditTarget() {
        return String.valueOf(name);
    }

    @Override
    void run() {
        boolean existed = users.delete(name, keepHome);
        out.println(
                existed
                        ? "deleted " + name + (keepHome ? " (home kept)" : "")
                        : "no such user " + name + "; nothing to do");
    }
}
