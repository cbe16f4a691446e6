package io.oqto.shell.internal;

import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.UserProvisioning;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code oqto:user-list}: the platform users with their Linux accounts and state. */
@Service
@Command(scope = "oqto", name = "user-list", description = "List platform users")
public class UserListCommand extends OqtoCommand {

    @Reference
    UserProvisioning users;

    @Override
    void run() {
        ShellTable table = table("Name", "Linux user", "UID", "Role", "State", "Email");
        for (PlatformUser u : users.list()) {
            table.addRow()
                    .addContent(
                            u.name(),
                            u.linuxUser(),
                            u.uid(),
                            u.role().wireName(),
                            u.state().wireName(),
                            u.email());
        }
        print(table);
    }
}
