package io.oqto.shell.internal;

import io.oqto.api.users.UserProvisioning;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code oqto:user-enable <name>}: starts a disabled user's services again; a token comes from token-create. */
@Service
@Command(
        scope = "oqto",
        name = "user-enable",
        description = "Enable a disabled platform user: services and runner again")
public class UserEnableCommand extends OqtoCommand {

    @Reference
    UserProvisioning users;

    @Argument(index = 0, name = "name", required = true, description = "Platform user")
    @Completion(PlatformUserCompleter.class)
    String name;

    @Override
    String auditTarget() {
        return String.valueOf(name);
    }

    @Override
    void run() {
        users.enable(name);
        out.printf("enabled %s: runner answering (oqto:token-create %s issues a token)%n", name, name);
    }
}
