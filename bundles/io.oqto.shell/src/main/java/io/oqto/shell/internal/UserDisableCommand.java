package io.oqto.shell.internal;

import io.oqto.api.users.UserProvisioning;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code oqto:user-disable <name>}: revokes the user's tokens and stops their services; nothing is deleted. */
@Service
@Command(
        scope = "oqto",
        name = "user-disable",
        description = "Disable a platform user: revoke tokens, stop services, keep files")
public class UserDisableCommand extends OqtoCommand {

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
        users.disable(name);
        out.printf("disabled %s: tokens revoked, services stopped%n", name);
    }
}
