package io.oqto.auth.internal;

import io.oqto.api.auth.Passwords;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** Platform users' passwords, in {@code <state_dir>/passwords} (0600). Holds no thread or socket. */
@Component(
        service = Passwords.class,
        configurationPid = {"oqto.server", "oqto.auth"},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class PasswordsComponent implements Passwords {

    private final PasswordStore store;

    @Activate
    public PasswordsComponent(AuthConfig config, BundleContext context) throws IOException {
        Path stateDir = TokenServiceComponent.stateDir(config, context);
        this.store = new PasswordStore(stateDir.resolve("passwords"));
    }

    @Override
    public void set(String user, char[] password) {
        store.set(user, password);
    }

    @Override
    public boolean verify(String user, char[] password) {
        return store.verify(user, password);
    }

    @Override
    public boolean isSet(String user) {
        return store.isSet(user);
    }

    @Override
    public boolean remove(String user) {
        return store.remove(user);
    }
}
