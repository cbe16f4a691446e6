package io.oqto.api.runner.eavs;

import io.oqto.api.runner.RunnerMessage;
import org.jspecify.annotations.Nullable;

/**
 * The key a runner holds.
 *
 * @param keyHash SHA-256 of the key, hex (eavs's {@code key_hash}); null when the runner holds none
 */
@RunnerMessage("eavs_key")
public record EavsKey(@Nullable String keyHash) {}
