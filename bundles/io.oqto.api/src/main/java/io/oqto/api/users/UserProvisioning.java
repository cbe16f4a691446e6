package io.oqto.api.users;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates, lists, disables and deletes platform users in multi-user mode. Every method is idempotent:
 * asking again converges instead of failing. Failures are {@link ProvisioningException}s.
 */
@ProviderType
public interface UserProvisioning {

    /**
     * The seed's steps: platform user record, Linux account with a home from the skeleton, lingering, the
     * user services started (eavs, hstry, mmry, then oqto-runner), the runner answering, a first token.
     * A step that fails undoes what this call created and names the step.
     */
    ProvisionedUser create(NewUser user);

    List<PlatformUser> list();

    Optional<PlatformUser> find(String name);

    /** Revokes the user's tokens and stops their services; account and files stay. */
    PlatformUser disable(String name);

    /** Starts a disabled user's services again (a new token is {@code oqto:token-create}'s job). */
    PlatformUser enable(String name);

    /**
     * Stops and starts an active user's services — their runner among them, on the runner distribution installed
     * now — and waits until the runner answers. What ran in the old runner (sessions, processes, terminals) has
     * ended; tokens, files and history stay.
     */
    PlatformUser restartServices(String name);

    /**
     * Stops the services, disables lingering, ends the user's processes, removes the Linux account (and the
     * home unless {@code keepHome}), the runner socket and the record; revokes the tokens.
     *
     * @return false when there was no such user
     */
    boolean delete(String name, boolean keepHome);
}
