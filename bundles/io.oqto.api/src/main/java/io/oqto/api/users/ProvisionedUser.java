package io.oqto.api.users;

import io.oqto.api.auth.IssuedToken;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of provisioning.
 *
 * @param user the user as recorded now
 * @param created false when the user existed and this run only converged it
 * @param token the user's first API token (its secret shown this once); null when the user existed
 * @param steps the steps this run carried out, in order
 * @param notInstalled user services that are not installed on this host (the runner runs without them)
 */
public record ProvisionedUser(
        PlatformUser user,
        boolean created,
        @Nullable IssuedToken token,
        List<String> steps,
        List<String> notInstalled) {}
