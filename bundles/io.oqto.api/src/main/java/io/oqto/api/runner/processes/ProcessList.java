package io.oqto.api.runner.processes;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;
import java.util.Map;

/**
 * Reply to {@link ListProcesses}.
 *
 * @param limits how limits are enforced here: {@code mechanism}, {@code detail}, {@code ceiling}
 * @param subscriptions output subscriptions open on the runner
 */
@RunnerMessage("process_list")
public record ProcessList(List<ProcessInfo> processes, Map<String, Object> limits, int subscriptions) {}
