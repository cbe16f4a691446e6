package io.oqto.auth.internal;

import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Passwords;
import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenInfo;
import io.oqto.api.auth.TokenService;
import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.Home;
import io.oqto.api.unix.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token service of the control plane. In single-user mode the first start creates an admin token
 * for the user running it and writes it to a 0600 file; the token itself is never logged.
 */
@Component(
        service = TokenService.class,
        configurationPid = {"oqto.server", "oqto.auth"},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class TokenServiceComponent implements TokenService {

    private static final Logger LOG = LoggerFactory.getLogger(TokenServiceComponent.class);
    private final TokenStore store;
    private final BrowserSessions sessions;
    private final Passwords passwords;

    @Activate
    public TokenServiceComponent(
            AuthConfig config,
            BundleContext context,
            @Reference BrowserSessions sessions,
            @Reference Passwords passwords)
            throws IOException {
        this.sessions = sessions;
        this.passwords = passwords;
        boolean singleUser = !DeploymentMode.of(context).isMultiUser();
        Path stateDir = stateDir(config, context);
        this.store = new TokenStore(stateDir.resolve("tokens"));
        if (singleUser && !store.hasAdmin()) {
            Path tokenFile = config.adminTokenFile().isEmpty()
                    ? stateDir.resolve("admin.token")
                    : Path.of(config.adminTokenFile());
            IssuedToken admin = store.issue(System.getProperty("user.name"), Role.ADMIN);
            PrivateFiles.write(tokenFile, admin.secret() + "\n");
            LOG.info("created the first admin token (id {}) and wrote it to {}", admin.id(), tokenFile);
        }
    }

    static Path stateDir(AuthConfig config, BundleContext context) {
        return config.stateDir().isEmpty()
                ? defaultStateDir(!DeploymentMode.of(context).isMultiUser())
                : Path.of(config.stateDir());
    }

    static Path defaultStateDir(boolean singleUser) {
        if (!singleUser) {
            return Path.of("/var/lib/oqto");
        }
        return Home.state().resolve("oqto");
    }

    @Override
    public Optional<Caller> authenticate(String bearerToken) {
        return store.authenticate(bearerToken);
    }

    @Override
    public IssuedToken issue(String user, Role role) {
        return store.issue(user, role);
    }

    @Override
    public IssuedToken issue(String user, Role role, String name, @Nullable Instant expiresAt) {
        return store.issue(user, role, name, expiresAt);
    }

    @Override
    public boolean isExpired(String bearerToken) {
        return store.isExpired(bearerToken);
    }

    @Override
    public List<TokenInfo> list(@Nullable String user) {
        return store.list(user);
    }

    @Override
    public Optional<TokenInfo> revoke(String id) {
        Optional<TokenInfo> revoked = store.revoke(id);
        revoked.ifPresent(t -> LOG.info("revoked token {} of {}", t.id(), t.user()));
        return revoked;
    }

    @Override
    public int revokeAll(String user) {
        int n = store.revokeAll(user);
        int s = sessions.endAll(user, null);
        if (n + s > 0) {
            LOG.info("revoked {} token(s) and ended {} browser session(s) of {}", n, s, user);
        }
        return n + s;
    }

    @Override
    public int forgetUser(String user) {
        int n = revokeAll(user);
        if (passwords.remove(user)) {
            LOG.info("forgot the password of {}", user);
        }
        return n;
    }
}
