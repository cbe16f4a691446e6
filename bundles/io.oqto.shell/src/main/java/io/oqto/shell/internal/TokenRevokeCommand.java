package io.oqto.shell.internal;

import io.oqto.api.auth.TokenInfo;
import io.oqto.api.auth.TokenService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code oqto:token-revoke <id>}: revokes one API token (a leaked one), leaving its user's others working. */
@Service
@Command(scope = "oqto", name = "token-revoke", description = "Revoke one API token by its id (see token-list)")
public class TokenRevokeCommand extends OqtoCommand {

    @Reference
    TokenService tokens;

    @Argument(index = 0, name = "id", required = true, description = "The token's id, as token-list shows it")
    String id;

    @Override
    String auditTarget() {
        return String.valueOf(id);
    }

    @Override
    void run() {
        TokenInfo t = tokens.revoke(id).orElseThrow(() -> new IllegalArgumentException("no token " + id));
        out.println("revoked token " + t.id() + " of " + t.user() + (t.name().isEmpty() ? "" : " (" + t.name() + ")"));
    }
}
