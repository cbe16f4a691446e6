package io.oqto.shell.internal;

import io.oqto.api.auth.Role;
import io.oqto.api.users.NewUser;
import io.oqto.api.users.ProvisionedUser;
import io.oqto.api.users.UserProvisioning;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code oqto:user-create --email <e> [--role user|admin] <name>}: provisions a platform user (Linux account,
 * home, lingering, services, runner) and prints the first API token on a line of its own, once. Running it
 * again converges and prints no token.
 */
@Service
@Command(
        scope = "oqto",
        name = "user-create",
        description = "Provision a platform user: Linux account, services, runner, first token")
public class UserCreateCommand extends OqtoCommand {

    @Reference
    UserProvisioning users;

    @Argument(index = 0, name = "name", required = true, description = "Platform user name (a-z, 0-9, _ and -)")
    String name;

    @Option(name = "--email", required = true, description = "The user's email address")
    String email;

    @Option(name = "--role", description = "user (the default) or admin")
    String role = "user";

    @Override
    String auditTarget() {
        return String.valueOf(name);
    }

    @Override
    void run() {
        ProvisionedUser p = users.create(new NewUser(name, email, role(role)));
        out.printf(
                "%s %s: Linux user %s (uid %d), runner answering%s%n",
                p.created() ? "created" : "converged",
                name,
                p.user().linuxUser(),
                p.user().uid(),
                p.notInstalled().isEmpty() ? "" : "; not installed here: " + String.join(", ", p.notInstalled()));
        if (p.token() != null) {
            out.println("API token (shown once):");
            out.println(p.token().secret());
        }
    }

    static Role role(String role) {
        return Role.parse(role)
                .orElseThrow(() -> new IllegalArgumentException("--role must be user or admin, not " + role));
    }
}
