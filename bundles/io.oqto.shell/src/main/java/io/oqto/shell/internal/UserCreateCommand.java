package io.oqto.shell.internal;

import io.oqto.api.auth.Role;
import io.oqto.api.users.NewUser;
import io.oqto.api.users.ProvisionedUser;
import io.oqto.api.users.UserProvisioning;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
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
@Command(scope = "oqto", name = "user-create", description = "Provision a platform user: Linux account, services, runner, first token")
public class UserCreateCommand implements Action {

    @Reference
    UserProvisioning users;

    @Argument(index = 0, name = "name", required = true, description = "Platform user name (a-z, 0-9, _ and -)")
    String name;

    @Option(name = "--email", required = true, description = "The user's email address")
    String email;

    @Option(name = "--role", description = "user (the default) or admin")
    String role = "user";

    @Override
    public Object execute() {
        ProvisionedUser p = UserCommands.provisioning(() -> users.create(new NewUser(name, email, role(role))));
        System.out.printf("%s %s: Linux user %s (uid %d), runner answering%s%n", p.created() ? "created" : "converged", name,
                p.user().linuxUser(), p.user().uid(),
                p.notInstalled().isEmpty() ? "" : "; not installed here: " + String.join(", ", p.notInstalled()));
        if (p.token() != null) {
            System.out.println("API token (shown once):");
            System.out.println(p.token().secret());
        }
        return null;
    }

    static Role role(String role) {
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "user" -> Role.USER;
            case "admin" -> Role.ADMIN;
            default -> throw new IllegalArgumentException("--role must be user or admin, not " + role);
        };
    }
}
