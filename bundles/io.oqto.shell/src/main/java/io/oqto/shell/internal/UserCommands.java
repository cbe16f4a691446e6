package io.oqto.shell.internal;

import io.oqto.api.users.ProvisioningException;
import java.util.function.Supplier;

/** What the oqto:user-* commands share: a provisioning failure reads as one line naming the step. */
final class UserCommands {

    private UserCommands() {
    }

    static <T> T provisioning(Supplier<T> action) {
        try {
            return action.get();
        } catch (ProvisioningException e) {
            throw new IllegalStateException(e.kind() == ProvisioningException.Kind.FAILED
                    ? "failed at step " + e.step() + ": " + e.getMessage() + " (what this run created was undone)"
                    : e.getMessage(), e);
        }
    }
}
