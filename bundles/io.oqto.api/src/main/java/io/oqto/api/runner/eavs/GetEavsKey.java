package io.oqto.api.runner.eavs;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;

/** Which key the runner holds, by its hash: the control plane compares it with eavs's keys of the user. */
@RunnerMessage("get_eavs_key")
public record GetEavsKey() implements RunnerRequest<EavsKey> {}
