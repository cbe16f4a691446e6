package io.oqto.shell.internal;

import io.oqto.api.auth.TokenInfo;
import io.oqto.api.auth.TokenService;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code oqto:token-list [user]}: the API tokens (every user's, or one user's), never their secrets. */
@Service
@Command(scope = "oqto", name = "token-list", description = "List API tokens: id, user, role, name, times")
public class TokenListCommand extends OqtoCommand {

    @Reference
    TokenService tokens;

    @Argument(index = 0, name = "user", description = "Only this platform user's tokens")
    @Completion(PlatformUserCompleter.class)
    String user;

    @Override
    void run() {
        Instant now = Instant.now();
        ShellTable table = table("Id", "User", "Role", "Name", "Created", "Expires", "Last used");
        for (TokenInfo t : tokens.list(user)) {
            table.addRow()
                    .addContent(
                            t.id(),
                            t.user(),
                            t.role().wireName(),
                            t.name(),
                            t.createdAt(),
                            t.expiresAt() == null ? "never" : t.expiresAt() + (t.expiredAt(now) ? " (expired)" : ""),
                            t.lastUsedAt() == null ? "never" : t.lastUsedAt());
        }
        print(table);
    }
}
