package io.oqto.shell.internal;

import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.PlatformUserNames;
import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenService;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code oqto:token-create [--role user|admin] [--name N] [--expires T] <user>}: issues an API token and prints it
 * once. Only its hash is stored, so a lost token is replaced, not recovered.
 */
@Service
@Command(
        scope = "oqto",
        name = "token-create",
        description = "Create an API token for a platform user and print it once")
public class TokenCreateCommand extends OqtoCommand {

    @Reference
    TokenService tokens;

    @Argument(index = 0, name = "user", required = true, description = "Platform user the token acts as")
    @Completion(PlatformUserCompleter.class)
    String user;

    @Option(name = "--role", description = "user (own runner only, the default) or admin (every user)")
    String role = "user";

    @Option(name = "--name", description = "What the token is for (shown by token-list)")
    String name = "";

    @Option(name = "--expires", description = "When it stops working, a UTC time like 2027-01-31T12:00:00Z")
    String expires;

    @Override
    String auditTarget() {
        return String.valueOf(user);
    }

    @Override
    void run() {
        if (!PlatformUserNames.isValid(user)) {
            throw new IllegalArgumentException("not a platform user name: " + user);
        }
        Role r = UserCreateCommand.role(role);
        Instant expiresAt;
        try {
            expiresAt = expires == null ? null : Instant.parse(expires);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--expires takes a UTC time like 2027-01-31T12:00:00Z, not " + expires);
        }
        IssuedToken t = tokens.issue(user, r, name, expiresAt);
        out.println(t.secret());
    }
}
