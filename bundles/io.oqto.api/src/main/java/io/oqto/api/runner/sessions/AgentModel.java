package io.oqto.api.runner.sessions;

import org.jspecify.annotations.Nullable;

/**
 * A model a session can be created with: {@code provider} and {@code id} are {@link CreateSession}'s
 * {@code provider} and {@code model}.
 *
 * @param name the model's display name, when models.json gives one
 * @param reasoning whether the model thinks before it answers (pi shows its thinking)
 */
public record AgentModel(
        String provider, String id, @Nullable String name, boolean reasoning) {}
