package io.oqto.runner.spi.eavs;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The runner's side of eavs, for the agent sessions. When {@link #enabled()}, pi reaches every provider through
 * eavs with the user's own virtual key, and nothing falls back to {@code [agent] providers}.
 */
@ProviderType
public interface EavsAccess {

    /** Whether {@code [eavs] base_url} is set. */
    boolean enabled();

    /**
     * Refuses a provider or model eavs does not offer. Does nothing when eavs cannot be asked (the session's
     * start then fails at its eavs stage, saying why).
     *
     * @param provider pi's provider name ({@code eavs-<name>}), null for pi's default
     * @param model a model id of that provider (of any, without one), null for the default
     */
    void checkChoice(@Nullable String provider, @Nullable String model) throws EavsAccessException;

    /**
     * Writes {@code <agentDir>/models.json} (0600) from eavs's providers with the user's key, unless eavs's
     * provider list is what was written last.
     *
     * @return the pi providers written, such as {@code eavs-openai}
     */
    List<String> writePiModels(Path agentDir) throws EavsAccessException;
}
