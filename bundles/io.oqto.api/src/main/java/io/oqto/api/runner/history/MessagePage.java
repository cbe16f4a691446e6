package io.oqto.api.runner.history;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;

/** Reply to {@link ReadHistory}; {@code more}: messages exist beyond the page (after it, or before a tail). */
@RunnerMessage("history_messages")
public record MessagePage(String conversation, List<StoredMessage> messages, boolean more) {}
