package io.oqto.api.runner.sessions;

import org.jspecify.annotations.Nullable;

/**
 * One numbered event of a session (docs/agent-events.md).
 *
 * @param type {@code message.delta}, {@code tool.start}, {@code agent.idle}, …
 * @param data the event's own fields
 */
public record AgentEvent(
        long seq, String type, long timeMs, @Nullable Object data) {}
