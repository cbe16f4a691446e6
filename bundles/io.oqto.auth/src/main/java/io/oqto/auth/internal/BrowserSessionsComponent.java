package io.oqto.auth.internal;

import io.oqto.api.auth.BrowserSession;
import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.Role;
import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser sessions in {@code <state_dir>/browser-sessions} (0600). In single-user mode the one user signs in with a
 * link, as with Jupyter's token URL: at start, and again each time one is used, a fresh one-time link is written to
 * {@code <state_dir>/login.url} (0600) for the run command to print; the link itself is never logged.
 */
@Component(
        service = BrowserSessions.class,
        configurationPid = {"oqto.server", "oqto.auth"},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class BrowserSessionsComponent implements BrowserSessions {

    private static final Logger LOG = LoggerFactory.getLogger(BrowserSessionsComponent.class);
    private final SessionStore store;
    /** Single-user mode: where the login link goes; null in multi-user mode. */
    private final @Nullable Path linkFile;

    private final String linkBase;

    @Activate
    public BrowserSessionsComponent(AuthConfig config, BundleContext context) throws IOException {
        Path stateDir = TokenServiceComponent.stateDir(config, context);
        this.store = new SessionStore(
                stateDir.resolve("browser-sessions"), Duration.ofHours(config.sessionHours()), Clock.systemUTC());
        String host = config.bind().equals("0.0.0.0") ? "127.0.0.1" : config.bind();
        this.linkBase = (config.tlsCert().isEmpty() ? "http://" : "https://") + host + ":" + config.port()
                + "/api/v1/auth/link?code=";
        this.linkFile = DeploymentMode.of(context).isMultiUser() ? null : stateDir.resolve("login.url");
        if (linkFile != null) {
            writeLink(linkFile);
            LOG.info("wrote a one-time login link to {}", linkFile);
        }
    }

    private void writeLink(Path file) {
        String code = store.loginCode(System.getProperty("user.name"), Role.ADMIN);
        try {
            PrivateFiles.write(file, linkBase + code + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the login link to " + file, e);
        }
    }

    @Override
    public BrowserSession start(String user, Role role) {
        return store.start(user, role);
    }

    @Override
    public Optional<BrowserSession> find(String cookie) {
        return store.find(cookie);
    }

    @Override
    public boolean end(String cookie) {
        return store.end(cookie);
    }

    @Override
    public int endAll(String user, @Nullable String keep) {
        return store.endAll(user, keep);
    }

    @Override
    public String loginCode(String user, Role role) {
        return store.loginCode(user, role);
    }

    @Override
    public Optional<BrowserSession> redeem(String code) {
        Optional<BrowserSession> session = store.redeem(code);
        Path file = linkFile;
        if (session.isPresent() && file != null) {
            writeLink(file); // the used link is spent: the next one is ready for the run command to show
        }
        return session;
    }
}
