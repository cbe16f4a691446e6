package io.oqto.agent.internal;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.SequencedBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's events for one subscriber, from its replay buffer with a cursor of its own: a
 * {@code session_resync} when events after the cursor are no longer kept, then {@code session_events} in
 * batches (under load a subscriber catches up with few writes). While it is open the session counts as
 * watched, so the idle watchdog leaves it alone.
 */
final class SessionFeed implements EventFeed {

    static final int BATCH = 256;

    private final AgentSession session;
    private final Runnable onClose;
    private long cursor;

    SessionFeed(AgentSession session, long after, Runnable onClose) {
        this.session = session;
        this.cursor = after;
        this.onClose = onClose;
        session.subscribed();
    }

    @Override
    public Map<String, Object> replyFields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("session", session.id());
        f.put("last_seq", session.log().lastSeq());
        return f;
    }

    @Override
    public List<Frame> next(long waitMillis) throws InterruptedException {
        SequencedBuffer.Slice<AgentEvent> s = session.log().after(cursor, BATCH);
        List<Frame> events = new ArrayList<>();
        if (s.missed() > 0) {
            events.add(event("session_resync").with("missed", s.missed()).with("resumed_after", cursor + s.missed()));
        }
        if (!s.items().isEmpty()) {
            events.add(event("session_events")
                    .with("events", s.items().stream().map(AgentEvent::json).toList()));
        }
        cursor = s.next();
        if (events.isEmpty()) {
            session.log().await(cursor, waitMillis);
        }
        return events;
    }

    @Override
    public void close() {
        session.unsubscribed();
        onClose.run();
    }

    private Frame event(String type) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("session", session.id());
        return new Frame(null, type, f);
    }
}
