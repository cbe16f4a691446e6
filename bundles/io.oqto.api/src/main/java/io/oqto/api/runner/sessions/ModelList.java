package io.oqto.api.runner.sessions;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;

/**
 * Reply to {@link ListModels}.
 *
 * @param models in the order models.json gives them, provider by provider
 * @param source where they come from: {@code eavs}, {@code agent.providers} or {@code user} (the user's own
 *     {@code ~/.pi/agent/models.json}; empty when there is none)
 */
@RunnerMessage("model_list")
public record ModelList(List<AgentModel> models, String source) {}
