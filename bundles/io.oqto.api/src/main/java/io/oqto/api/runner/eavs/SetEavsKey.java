package io.oqto.api.runner.eavs;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/**
 * Gives the runner its user's virtual key, replacing any it had. {@code toString} leaves the key out.
 *
 * @param key {@code eavs-} and 32 base62 characters
 */
@RunnerMessage("set_eavs_key")
public record SetEavsKey(String key) implements RunnerRequest<EavsKey> {
    @Override
    public String toString() {
        return "SetEavsKey[key=…]";
    }
}
