package io.oqto.agent.internal;

/** The timeouts and sizes of {@code [agent]}, as the sessions use them. */
record AgentSettings(long startTimeoutMs, long stallTimeoutMs, long idleTimeoutMs, int replayEvents, int maxSessions) {

    static AgentSettings of(AgentConfig c) {
        return new AgentSettings(
                c.startTimeoutMs(), c.stallTimeoutMs(), c.idleTimeoutMs(), c.replayEvents(), c.maxSessions());
    }
}
